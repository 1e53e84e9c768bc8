"""Upkeep pages: acceptance."""

from __future__ import annotations

C = "c/<str:code>/upkeep"


def home_context(request, centre) -> dict:
    """What the upkeep home shows of acceptance (templates/upkeep/_home_acceptance.html)."""
    return {}


# this sub-domain's pages, added to upkeep/urls.py
URLS: list = []
