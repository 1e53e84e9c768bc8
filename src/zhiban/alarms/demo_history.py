"""The demo's alarm history at 苏吴监控中心 (``zhiban demo``, through ``alarms/demo.py``): the
last four hours of an ordinary day, a thunderstorm that ended well over an hour ago (so the
console opens without a flood banner, INC-3), the alarms older than half an hour acknowledged
by the operator on duty (INC-2), and a few alarms of the last minutes open and unacknowledged.

Loaded once: when the storm's events are stored already, nothing is sent or acknowledged again
(and the events' ids come from fixed seeds, so a replay would store nothing anyway, INC-1).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhiban.core.actors import DEMO, Source
from zhiban.org.models import Centre, Person

from . import services, simulate
from .models import Alarm, AlarmEvent, AlarmSource, AlarmState

CENTRE = "suwu"
SEED = 2026
OPERATOR = "zhangwei"  # 正值: acknowledges what the shift has seen


def load(ctx: dict) -> None:
    centre = Centre.objects.filter(code=CENTRE).first()
    scada = AlarmSource.objects.filter(centre=centre, kind="scada").first()
    if centre is None or scada is None:
        return
    storm_prefix = f"sim-storm-{SEED}-"
    if AlarmEvent.objects.filter(source=scada, event_id__startswith=storm_prefix).exists():
        return
    now = timezone.now()
    plant = simulate.Plant.of(centre)
    normal = simulate.Spec("normal", SEED, start=now - timedelta(hours=4), hours=4)
    storm = simulate.Spec("storm", SEED, start=now - timedelta(hours=3))
    for spec in (normal, storm):
        simulate.send_direct(simulate.stream(plant, spec, until=now), actor=DEMO, source=Source.CLI)
    simulate.send_direct(_open_now(plant, scada.code, now), actor=DEMO, source=Source.CLI)
    seen = Alarm.objects.filter(
        centre=centre,
        state__in=(AlarmState.UNACKED, AlarmState.CLEARED_UNACKED),
        last_at__lt=now - timedelta(minutes=30),
    )
    services.alarm_ack_many(
        actor=Person.objects.get(username=OPERATOR),
        source=Source.CLI,
        centre=centre,
        alarm_ids=list(seen.values_list("pk", flat=True)),
    )


def _open_now(plant: simulate.Plant, source: str, now) -> list[dict]:
    """A few conditions of the last minutes, still present and not yet acknowledged."""
    stations = plant.substations
    first, second = stations[0], stations[min(2, len(stations) - 1)]
    found = [
        (first, (first.capacitor_breakers or first.all_breakers)[0], "弹簧未储能", "abnormal", ""),
        (second, (second.buses or [""])[0], "母线电压越上限", "limit", "10.78kV"),
        (second, (second.transformers or [""])[0], "风冷启动", "info", ""),
    ]
    return [
        {
            "source": source,
            "id": f"demo-open-{SEED}-{n}",
            "at": (now - timedelta(minutes=12 - 4 * n)).isoformat(),
            "site": site.code,
            "equipment": equipment,
            "signal": signal,
            "class": klass,
            "value": value,
            "text": " ".join(p for p in (site.name, equipment, signal) if p),
        }
        for n, (site, equipment, signal, klass, value) in enumerate(found)
    ]
