"""Demo upkeep: defects."""

from __future__ import annotations


def load(ctx: dict) -> None:
    """Nothing yet."""
