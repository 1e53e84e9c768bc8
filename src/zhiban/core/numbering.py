"""Gap-free numbers per centre, kind and year (e.g. operation tickets, OPS-6).

``next_number`` must run inside the transaction that stores the numbered record: it locks the
counter row until that transaction ends, so concurrent requests queue for the next number,
and a rolled-back transaction gives its number back (no gaps, no duplicates).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from .models import NumberSequence


def next_number(centre, kind: str, year: int) -> int:
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that stores the record")
    counter = NumberSequence.objects.filter(centre=centre, kind=kind, year=year)
    # The UPDATE takes the row lock that queues concurrent requests until this one commits.
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # savepoint: a concurrent first insert may win the race
                NumberSequence.objects.create(centre=centre, kind=kind, year=year, last=1)
            return 1
        except IntegrityError:
            counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()


def format_number(prefix: str, year: int, number: int, width: int = 4) -> str:
    """e.g. ``DH-2026-0007``."""
    return f"{prefix}-{year}-{number:0{width}d}"
