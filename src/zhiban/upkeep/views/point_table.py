"""Upkeep pages: point_table."""

from __future__ import annotations

C = "c/<str:code>/upkeep"


def home_context(request, centre) -> dict:
    """What the upkeep home shows of point_table (templates/upkeep/_home_point_table.html)."""
    return {}


# this sub-domain's pages, added to upkeep/urls.py
URLS: list = []
