"""Upkeep pages: defects."""

from __future__ import annotations

C = "c/<str:code>/upkeep"


def home_context(request, centre) -> dict:
    """What the upkeep home shows of defects (templates/upkeep/_home_defects.html)."""
    return {}


# this sub-domain's pages, added to upkeep/urls.py
URLS: list = []
