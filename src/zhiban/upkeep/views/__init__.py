"""Upkeep pages under /c/<code>/upkeep/, one module per sub-domain (``defects``,
``counters``, ``acceptance``) and the area's home (``common``)."""
