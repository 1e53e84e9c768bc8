"""Reports pages: shift (issue 15)."""

from __future__ import annotations

URLS: list = []


def home_context(request, centre) -> dict:
    return {}
