"""Orders (CS-3). PLACEHOLDER: the interface the intake calls; the orders work fills it in."""

from __future__ import annotations

from ..models import Order


def order_take(*, actor, source, case, data: dict) -> Order:
    """The order of a new order case (runs in the intake's transaction)."""
    raise NotImplementedError
