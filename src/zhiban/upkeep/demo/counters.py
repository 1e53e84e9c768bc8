"""Demo upkeep: operation counters (CNT-1 … CNT-3) of 苏吴监控中心's substations — capacitor
switchings, on-load tap changes and line breaker trips — each with the limit its team's
leader keeps and six months of month-end figures the chief operator entered, so that some
are near (≥ 90 %) and some at their limits (满次: the centre and the team notified). Run
again, it leaves counters with figures as they are."""

from __future__ import annotations

import zlib
from math import ceil

from django.utils import timezone

from zhiban.core.actors import Source
from zhiban.org.models import Equipment, EquipmentKind

from .. import services
from ..forms.counters import add_months
from ..models import CounterKind, CounterMonth, OperationCounter

# how full each counter ends, in turn: some near their limits, some at them
SHARES = (0.55, 0.92, 0.4, 1.0, 0.7, 0.96, 0.35, 0.8)
# a month's operations (low, high) by counter
PER_MONTH: dict[str, tuple[int, int]] = {
    CounterKind.SWITCHING: (18, 60),
    CounterKind.TAP: (25, 90),
    CounterKind.TRIP: (0, 3),
}
KIND_OF: dict[str, str] = {
    EquipmentKind.CAPACITOR: CounterKind.SWITCHING,
    EquipmentKind.TAP_CHANGER: CounterKind.TAP,
}


def _figure(kind: str, key: str) -> int:
    low, high = PER_MONTH[kind]
    return low + zlib.crc32(key.encode()) % (high - low + 1)


def _counted(centre):
    """The equipment counted: capacitors, tap changers and the line breakers (1st bus)."""
    rows = Equipment.objects.filter(centre=centre, active=True, site__kind="substation")
    rows = rows.select_related("site").order_by("site__code", "tree_path")
    for e in rows:
        if e.kind in KIND_OF:
            yield e, KIND_OF[e.kind]
        elif e.kind == EquipmentKind.BREAKER and e.parent and e.parent.kind == EquipmentKind.LINE:
            yield e, CounterKind.TRIP


def _leader(people, site):
    team = site.teams.filter(active=True).order_by("name").first()
    if team is None:
        return None
    login = {"吴中操作队": "zhaogang", "越溪操作队": "wuqiang"}.get(team.name)
    return people.get(login)


def load(ctx: dict) -> None:
    centre = ctx["centres"]["suwu"]
    people = ctx["people"]
    chief = people["zhangwei"]
    this_month = timezone.localdate(timezone=centre.tz).replace(day=1)
    months = [add_months(this_month, -n) for n in range(6, 0, -1)]
    for index, (equipment, kind) in enumerate(_counted(centre)):
        counter = OperationCounter.objects.filter(equipment=equipment, kind=kind).first()
        if counter is None:
            counter = services.counter_open(
                actor=chief,
                source=Source.CLI,
                centre=centre,
                data={"equipment": equipment.pk, "kind": kind},
            )
        if CounterMonth.objects.filter(counter=counter, entered__isnull=False).exists():
            continue  # entered before: the demo is loaded
        figures = [_figure(kind, f"{equipment.pk}|{kind}|{m:%Y-%m}") for m in months]
        total = counter.count + sum(figures)
        leader = _leader(people, equipment.site)
        if leader is not None and total:
            share = SHARES[index % len(SHARES)]
            services.counter_limit_set(
                actor=leader,
                source=Source.CLI,
                counter_id=counter.pk,
                version=counter.version,
                limit=max(1, ceil(total / share)) if share < 1 else total,
            )
        for month, figure in zip(months, figures, strict=True):
            counter.refresh_from_db(fields=["version"])
            services.counter_month_enter(
                actor=chief,
                source=Source.CLI,
                counter_id=counter.pk,
                version=counter.version,
                month=month,
                count=figure,
            )
