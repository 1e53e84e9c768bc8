"""Forms of upkeep, one module per sub-domain (``defects``, ``counters``, ``acceptance``).
The services validate with them, so the pages and the API give the same per-field messages
(ADR 0003)."""
