"""Demo reports (``zhiban demo``): signed shift reports and subscriptions, one module per
report."""

from __future__ import annotations


def load(ctx: dict) -> None:
    return None
