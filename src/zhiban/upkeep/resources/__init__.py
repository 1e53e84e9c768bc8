"""Upkeep's record kinds as the pages, the exports and the API see them, one module per
sub-domain."""
