"""Reports' selectors, one module per sub-domain."""
