"""Forms of customer service: one module per sub-domain; services validate with them."""
