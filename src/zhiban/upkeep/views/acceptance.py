"""Upkeep pages: acceptance."""

from __future__ import annotations


def home_context(request, centre) -> dict:
    """What the upkeep home shows of acceptance (templates/upkeep/_home_acceptance.html)."""
    return {}
