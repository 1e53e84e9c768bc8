"""Operation counters (CNT-1 … CNT-3): counting from alarms and gateway events. The month-end
figures, limits and 满次 (CNT-2) complete it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from zhiban.core import audit

from ..models import CounterKind, CounterMonth, OperationCounter


@transaction.atomic
def counter_add(*, actor, source, equipment, kind: CounterKind, at) -> OperationCounter:
    """Adds one to the equipment's counter of this kind and to its month (a breaker trip adds
    a trip, INC-5; a capacitor switching or tap change from the gateway adds to theirs, CNT-1)."""
    counter, _created = OperationCounter.objects.select_for_update().get_or_create(
        equipment=equipment, kind=kind
    )
    before = audit.snapshot(counter)
    OperationCounter.objects.filter(pk=counter.pk).update(
        count=F("count") + 1, last_at=at, version=F("version") + 1
    )
    month = at.date().replace(day=1)
    month_row, _created = CounterMonth.objects.get_or_create(counter=counter, month=month)
    CounterMonth.objects.filter(pk=month_row.pk).update(counted=F("counted") + 1)
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
