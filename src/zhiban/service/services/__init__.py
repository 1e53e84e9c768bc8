"""Every write of customer service (DESIGN rule 1): one module per sub-domain."""
