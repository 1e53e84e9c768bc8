"""Demo reports (``zhiban demo``): signed shift reports and subscriptions, one module per
report."""

from __future__ import annotations

from . import monthly, shift, subscriptions


def load(ctx: dict) -> None:
    monthly.load(ctx)
    shift.load(ctx)
    subscriptions.load(ctx)
