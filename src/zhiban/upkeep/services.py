"""The one door for writes to upkeep records. For now: counting (INC-5, CNT)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from zhiban.core import audit

from .models import CounterKind, OperationCounter


@transaction.atomic
def counter_add(*, actor, source, equipment, kind: CounterKind, at) -> OperationCounter:
    """Adds one to the equipment's counter of this kind (a breaker trip adds a trip, INC-5)."""
    counter, _created = OperationCounter.objects.select_for_update().get_or_create(
        equipment=equipment, kind=kind
    )
    before = audit.snapshot(counter)
    OperationCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1, last_at=at)
    counter.refresh_from_db()
    audit.record(
        actor=actor,
        source=source,
        verb="counter.add",
        obj=counter,
        before=before,
        after=audit.snapshot(counter),
    )
    return counter
