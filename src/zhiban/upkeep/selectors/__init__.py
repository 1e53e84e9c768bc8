"""Scoped reads of upkeep, one module per sub-domain: ``defects``, ``counters``,
``acceptance``."""
