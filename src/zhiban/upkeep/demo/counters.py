"""Demo upkeep: counters."""

from __future__ import annotations


def load(ctx: dict) -> None:
    """Nothing yet."""
