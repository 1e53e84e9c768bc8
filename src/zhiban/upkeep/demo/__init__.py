"""Demo upkeep (``zhiban demo``): open defects of every grade (one overdue), counters near and
at their limits, and a half-done acceptance of a new station, one module per sub-domain."""

from __future__ import annotations

from . import acceptance, counters, defects


def load(ctx: dict) -> None:
    for part in (defects, counters, acceptance):
        part.load(ctx)
