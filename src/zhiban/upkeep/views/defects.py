"""Upkeep pages: defects."""

from __future__ import annotations


def home_context(request, centre) -> dict:
    """What the upkeep home shows of defects (templates/upkeep/_home_defects.html)."""
    return {}
