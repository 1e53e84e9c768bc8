"""Gap-free numbers per centre, kind and year (e.g. operation tickets, OPS-6).

``next_number`` must run inside the transaction that stores the numbered record: it locks the
counter row until that transaction ends, so concurrent requests queue for the next number,
and a rolled-back transaction gives its number back (no gaps, no duplicates).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from .models import NumberSequence


def next_number(centre, kind: str, year: int) -> int:
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that stores the record")
    try:
        with transaction.atomic():  # savepoint: a concurrent first insert may win the race
            NumberSequence.objects.get_or_create(centre=centre, kind=kind, year=year)
    except IntegrityError:
        pass
    seq = NumberSequence.objects.select_for_update().get(centre=centre, kind=kind, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def format_number(prefix: str, year: int, number: int, width: int = 4) -> str:
    """e.g. ``DH-2026-0007``."""
    return f"{prefix}-{year}-{number:0{width}d}"
