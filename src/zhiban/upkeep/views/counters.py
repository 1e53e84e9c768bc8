"""Upkeep pages: counters."""

from __future__ import annotations


def home_context(request, centre) -> dict:
    """What the upkeep home shows of counters (templates/upkeep/_home_counters.html)."""
    return {}
