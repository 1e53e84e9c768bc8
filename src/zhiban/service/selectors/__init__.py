"""Every read of customer service, scoped to the person's centres (DESIGN rule 2): one module per sub-domain."""
