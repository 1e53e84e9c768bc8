"""Realistic event streams for a centre, built from its sources, sites and equipment
(``zhiban simulate``, the demo's alarm history, the benchmarks).

Scenarios:

- ``normal``: a day's trickle — breakers operated (变位: VQC switching capacitors, feeders
  opened and closed), voltages and loads over their limits and back (越限), information
  (告知: tap positions, transformer fans), now and then an abnormal signal (异常: 控制回路断线,
  弹簧未储能, 直流系统接地, 主变油温高) that clears again; online-monitoring exceedances and
  security panels' signals when the centre has such sources.
- ``storm``: a thunderstorm — lightning trips breakers (事故 ``开关事故跳闸`` with the
  protection's ``保护动作`` and ``重合闸动作`` as 异常), most reclose, some stay open; bus
  voltage dips, 10 kV earth faults, DC earth: a flood of 30–100 alarms within minutes (INC-3,
  INC-5).
- ``commloss``: one station's telecontrol loses its channels (通信中断, 异常) and is restored
  later (INC-6).
- ``bench``: ``count`` events over ``signals`` distinct signals (≈ 90 % repeats with the
  defaults), raises only, for the benchmarks.

Event ids are ``sim-<scenario>-<seed>-<n>``: the same seed gives the same ids (and, for the
same plant and start, the same events), so replaying a stream stores nothing new (INC-1).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from zhiban.org.models import Centre, EquipmentKind

from .events import MAX_BATCH, parse
from .models import AlarmClass, AlarmSource, EventAction, SourceKind

SCENARIOS = ("normal", "storm", "commloss", "bench")
HOUR = 3600.0

ACCIDENT, ABNORMAL, LIMIT, CHANGE, INFO = (
    AlarmClass.ACCIDENT.value,
    AlarmClass.ABNORMAL.value,
    AlarmClass.LIMIT.value,
    AlarmClass.CHANGE.value,
    AlarmClass.INFO.value,
)
RAISE, CLEAR = EventAction.RAISE.value, EventAction.CLEAR.value


class SimulationError(ValueError):
    """The centre cannot give the asked stream (no such centre, source or equipment)."""


# --- the plant: what a centre's events can be about ---------------------------------------------


@dataclass
class Station:
    """A site with equipment, its equipment named as events name it (double names)."""

    code: str
    name: str
    voltage: str
    line_breakers: list[str] = field(default_factory=list)  # on lines: trip in storms
    feeder_breakers: list[str] = field(default_factory=list)  # 10 kV feeders
    capacitor_breakers: list[str] = field(default_factory=list)  # switched by the VQC
    other_breakers: list[str] = field(default_factory=list)
    buses: list[str] = field(default_factory=list)
    transformers: list[str] = field(default_factory=list)
    tap_changers: list[str] = field(default_factory=list)
    rtu: str = ""
    panels: dict[str, str] = field(default_factory=dict)  # fire / intrusion panel

    @property
    def breakers(self) -> list[str]:
        return self.line_breakers + self.feeder_breakers + self.capacitor_breakers

    @property
    def all_breakers(self) -> list[str]:
        return self.breakers + self.other_breakers


@dataclass
class Plant:
    centre: str
    sources: dict[str, str]  # source kind → code (the first active one of each kind)
    stations: list[Station]  # sites with equipment, by code

    @classmethod
    def of(cls, centre: Centre) -> Plant:
        sources: dict[str, str] = {}
        for kind, code in (
            AlarmSource.objects.filter(centre=centre, active=True)
            .order_by("code")
            .values_list("kind", "code")
        ):
            sources.setdefault(kind, code)
        by_site: dict[int, Station] = {}
        for site in centre.sites.filter(active=True).order_by("code"):
            by_site[site.pk] = Station(site.code, site.name, site.voltage_level)
        rows = (
            centre.equipment.filter(active=True, site__in=list(by_site))
            .order_by("site__code", "tree_path", "pk")
            .values_list("site_id", "kind", "name", "dispatch_number", "parent__kind")
        )
        for site_id, kind, name, number, parent_kind in rows:
            station, ref = by_site[site_id], f"{name} {number}".strip()
            if kind == EquipmentKind.BREAKER:
                group = {
                    EquipmentKind.LINE: station.line_breakers,
                    EquipmentKind.CAPACITOR: station.capacitor_breakers,
                    EquipmentKind.BUS: station.feeder_breakers,
                }.get(parent_kind, station.other_breakers)
                group.append(ref)
            elif kind == EquipmentKind.BUS:
                station.buses.append(ref)
            elif kind == EquipmentKind.MAIN_TRANSFORMER:
                station.transformers.append(ref)
            elif kind == EquipmentKind.TAP_CHANGER:
                station.tap_changers.append(ref)
            elif kind == EquipmentKind.RTU and not station.rtu:
                station.rtu = ref
            elif kind in (EquipmentKind.FIRE_PANEL, EquipmentKind.INTRUSION_PANEL):
                station.panels.setdefault(kind, ref)
        stations = [s for s in by_site.values() if s.all_breakers or s.rtu or s.panels]
        return cls(centre.code, sources, stations)

    @property
    def substations(self) -> list[Station]:
        return [s for s in self.stations if s.all_breakers]


# --- building streams ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What to generate: the scenario, its seed and size."""

    scenario: str
    seed: int = 1
    start: datetime | None = None
    hours: float = 24.0  # normal: the length of the trickle
    count: int | None = None  # bench: the number of events; others: at most this many
    signals: int = 2000  # bench: distinct signals


class _Timeline:
    """Events of a scenario at offsets (seconds) from its start, numbered in time order."""

    def __init__(self, spec: Spec, source: str):
        self.spec, self.source = spec, source
        self.items: list[tuple[float, int, dict]] = []

    def add(self, offset, site, equipment, signal, klass, action=RAISE, value="", text=""):
        event = {
            "source": self.source,
            "site": site.code,
            "equipment": equipment,
            "signal": signal,
            "class": klass,
            "action": action,
            "value": value,
            "text": text or " ".join(p for p in (site.name, equipment, signal) if p),
        }
        self.items.append((offset, len(self.items), event))

    def pulse(self, offset, site, equipment, signal, klass, value="", text="", lasting=1.0):
        """A momentary signal: raised, cleared ``lasting`` seconds later."""
        self.add(offset, site, equipment, signal, klass, RAISE, value, text)
        self.add(offset + lasting, site, equipment, signal, klass, CLEAR, value, text)

    def condition(self, offset, lasting, site, equipment, signal, klass, value="", text=""):
        """A condition present from ``offset`` for ``lasting`` seconds (raise, then clear)."""
        self.add(offset, site, equipment, signal, klass, RAISE, value, text)
        self.add(offset + lasting, site, equipment, signal, klass, CLEAR)


def stream(plant: Plant, spec: Spec, until: datetime | None = None) -> Iterator[dict]:
    """The scenario's events in time order, as the JSON objects of ``alarms/events.py``,
    numbered per source from 1 (``seq``: a gap shows as lost events, INC-1) — except the
    bench's, which many senders split and mix with other seeds' streams of the same source.
    Events after ``until`` are left out (a history up to now)."""
    if spec.scenario not in SCENARIOS:
        raise SimulationError(f"unknown scenario {spec.scenario!r}")
    rng = random.Random(f"{spec.scenario}:{spec.seed}")
    start = spec.start
    if start is None:
        raise SimulationError("a stream needs its start time")
    build = {"normal": _normal, "storm": _storm, "commloss": _commloss, "bench": _bench}
    timeline = build[spec.scenario](plant, spec, rng)
    prefix = f"sim-{spec.scenario}-{spec.seed}-"
    limit = spec.count if spec.count is not None else len(timeline.items)
    ordered = sorted(timeline.items, key=lambda item: (item[0], item[1]))
    seqs: dict[str, int] = {}
    for n, (offset, _order, event) in enumerate(ordered[:limit]):
        at = start + timedelta(seconds=offset)
        if until is not None and at > until:
            return
        numbered = {}
        if spec.scenario != "bench":
            seqs[event["source"]] = numbered["seq"] = seqs.get(event["source"], 0) + 1
        yield {"id": f"{prefix}{n:07d}", **numbered, "at": at.isoformat(), **event}


def _source(plant: Plant, *kinds: str) -> str:
    for kind in kinds:
        if kind in plant.sources:
            return plant.sources[kind]
    raise SimulationError(
        f"centre {plant.centre} has no active alarm source of kind {' or '.join(kinds)}"
    )


def _substations(plant: Plant) -> list[Station]:
    if not plant.substations:
        raise SimulationError(f"centre {plant.centre} has no site with breakers to simulate")
    return plant.substations


def _times(rng: random.Random, per_day: float, span: float) -> list[float]:
    """Poisson arrivals over ``span`` seconds at ``per_day`` a day."""
    found, t = [], 0.0
    if per_day <= 0:
        return found
    while True:
        t += rng.expovariate(per_day / (24 * HOUR))
        if t >= span:
            return found
        found.append(t)


def _normal(plant: Plant, spec: Spec, rng: random.Random) -> _Timeline:
    span = spec.hours * HOUR
    scada = plant.sources.get(SourceKind.SCADA)
    security = [plant.sources.get(k) for k in (SourceKind.FIRE, SourceKind.INTRUSION)]
    if scada is None and not any(security):
        _source(plant, SourceKind.SCADA, SourceKind.FIRE, SourceKind.INTRUSION)
    t = _Timeline(spec, scada or "")
    stations = plant.substations if scada else []
    for s in stations:
        # 变位: the VQC switches capacitors in and out; feeders opened and closed for work
        for breaker in s.capacitor_breakers:
            for n, at in enumerate(_times(rng, 4, span)):
                value = "合" if n % 2 else "分"
                t.pulse(at, s, breaker, "开关变位", CHANGE, value, f"{s.name} {breaker} {value}位")
        for at in _times(rng, 0.5 * len(s.feeder_breakers), span):
            breaker = rng.choice(s.feeder_breakers or s.all_breakers)
            back = at + rng.uniform(0.5, 3) * HOUR
            t.pulse(at, s, breaker, "开关变位", CHANGE, "分", f"{s.name} {breaker} 分位")
            t.pulse(back, s, breaker, "开关变位", CHANGE, "合", f"{s.name} {breaker} 合位")
            t.pulse(at + 0.5, s, breaker, "遥控操作成功", INFO)
        # 越限: bus voltage at light load, transformer load at the peak, with their clears
        for at in _times(rng, 1.5, span):
            if s.buses:
                bus = rng.choice(s.buses)
                high = rng.random() < 0.7
                value = (
                    f"{rng.uniform(10.71, 10.85):.2f}kV"
                    if high
                    else f"{rng.uniform(9.8, 9.95):.2f}kV"
                )
                signal = "母线电压越上限" if high else "母线电压越下限"
                t.condition(at, rng.uniform(5, 45) * 60, s, bus, signal, LIMIT, value)
        for at in _times(rng, 0.8 * len(s.transformers), span):
            transformer = rng.choice(s.transformers)
            value = f"{rng.randint(101, 112)}%"
            t.condition(at, rng.uniform(10, 60) * 60, s, transformer, "负荷越限", LIMIT, value)
        # 告知: tap positions, transformer fans
        for at in _times(rng, 3 * len(s.tap_changers), span):
            tap = rng.choice(s.tap_changers)
            t.pulse(at, s, tap, "有载调压档位变化", INFO, f"{rng.randint(4, 12)}档")
        for at in _times(rng, 1.0 * len(s.transformers), span):
            transformer = rng.choice(s.transformers)
            t.condition(at, rng.uniform(20, 90) * 60, s, transformer, "风冷启动", INFO)
        # 异常, now and then, each clearing again
        for at in _times(rng, 0.4, span):
            kind = rng.random()
            if kind < 0.35 and s.all_breakers:
                t.condition(
                    at,
                    rng.uniform(1, 15) * 60,
                    s,
                    rng.choice(s.all_breakers),
                    "弹簧未储能",
                    ABNORMAL,
                )
            elif kind < 0.6 and s.all_breakers:
                t.condition(
                    at,
                    rng.uniform(2, 30) * 60,
                    s,
                    rng.choice(s.all_breakers),
                    "控制回路断线",
                    ABNORMAL,
                )
            elif kind < 0.8 or not s.transformers:
                t.condition(at, rng.uniform(5, 60) * 60, s, "", "直流系统接地", ABNORMAL)
            else:
                transformer = rng.choice(s.transformers)
                value = f"{rng.randint(86, 95)}℃"
                t.condition(
                    at, rng.uniform(20, 90) * 60, s, transformer, "主变油温高", ABNORMAL, value
                )
    online = plant.sources.get(SourceKind.INSTRUMENT)
    if online and stations:
        instruments = _Timeline(spec, online)
        for at in _times(rng, 0.5, span):
            s = rng.choice([s for s in stations if s.transformers] or stations)
            target = rng.choice(s.transformers) if s.transformers else ""
            value = f"{rng.randint(151, 190)}μL/L"
            instruments.condition(
                at, rng.uniform(1, 4) * HOUR, s, target, "油中溶解气体总烃超标", LIMIT, value
            )
        t.items += instruments.items
    for kind, signals in (
        (SourceKind.FIRE, [("火警", ACCIDENT, 0.2), ("探测器故障", ABNORMAL, 2.0)]),
        (SourceKind.INTRUSION, [("防区报警", ACCIDENT, 0.5), ("布撤防", INFO, 4.0)]),
    ):
        code = plant.sources.get(kind)
        panel_kind = (
            EquipmentKind.FIRE_PANEL if kind == SourceKind.FIRE else EquipmentKind.INTRUSION_PANEL
        )
        sites = [s for s in plant.stations if panel_kind in s.panels]
        if not code or not sites:
            continue
        panel_events = _Timeline(spec, code)
        for signal, klass, per_day in signals:
            for at in _times(rng, per_day, span):
                s = rng.choice(sites)
                lasting = rng.uniform(1, 10) * 60 if klass != INFO else 1.0
                panel_events.condition(at, lasting, s, s.panels[panel_kind], signal, klass)
        t.items += panel_events.items
    return t


def _storm(plant: Plant, spec: Spec, rng: random.Random) -> _Timeline:
    """A thunderstorm over the centre's stations: strikes within about eight minutes."""
    t = _Timeline(spec, _source(plant, SourceKind.SCADA))
    stations = _substations(plant)
    hit = rng.sample(stations, k=max(1, min(len(stations), rng.randint(3, 5))))
    strikes = rng.randint(10, 18)
    for _n in range(strikes):
        s = rng.choice(hit)
        at = rng.uniform(0, 8 * 60)
        breaker = rng.choice(s.line_breakers + s.feeder_breakers or s.all_breakers)
        _trip(t, rng, at, s, breaker)
        if s.buses and rng.random() < 0.7:
            bus = rng.choice(s.buses)
            value = f"{rng.uniform(8.6, 9.6):.2f}kV"
            t.condition(at + 0.05, rng.uniform(2, 20), s, bus, "母线电压越下限", LIMIT, value)
        if rng.random() < 0.3:
            t.condition(at + 0.2, rng.uniform(30, 300), s, "", "10kV母线接地", ABNORMAL)
        if rng.random() < 0.25:
            t.condition(at + 1.5, rng.uniform(60, 900), s, "", "直流系统接地", ABNORMAL)
        if rng.random() < 0.2 and s.rtu:
            t.condition(at + 2, rng.uniform(10, 60), s, s.rtu, "远动通道切换", INFO)
    for s in hit:  # arresters counted and the station's own supply briefly lost
        t.pulse(rng.uniform(0, 8 * 60), s, "", "避雷器动作", INFO)
        if rng.random() < 0.5:
            t.condition(
                rng.uniform(0, 8 * 60), rng.uniform(5, 60), s, "", "站用电交流失电", ABNORMAL
            )
    return t


PROTECTIONS = ("距离I段动作", "零序I段动作", "过流I段动作", "速断保护动作")


def _trip(t: _Timeline, rng: random.Random, at: float, s: Station, breaker: str) -> None:
    """A lightning trip of a breaker (INC-5): 事故跳闸 with its protection, then the reclose —
    successful mostly (transient fault), otherwise the breaker stays open (permanent)."""
    protection = rng.choice(PROTECTIONS)
    t.add(at, s, breaker, "开关事故跳闸", ACCIDENT, RAISE, "分", f"{s.name} {breaker} 事故跳闸")
    t.add(
        at + 0.03, s, breaker, "保护动作", ABNORMAL, RAISE, "", f"{s.name} {breaker} {protection}"
    )
    reclose = at + rng.uniform(1.0, 2.0)
    t.add(reclose, s, breaker, "重合闸动作", ABNORMAL, RAISE, "", f"{s.name} {breaker} 重合闸动作")
    if rng.random() < 0.8:  # transient fault: reclosed
        t.pulse(reclose + 0.1, s, breaker, "开关变位", CHANGE, "合", f"{s.name} {breaker} 重合成功")
        t.add(reclose + 0.2, s, breaker, "开关事故跳闸", ACCIDENT, CLEAR, "合")
    else:  # permanent fault: the protection trips again after reclosing
        t.add(
            reclose + 0.15,
            s,
            breaker,
            "保护动作",
            ABNORMAL,
            RAISE,
            "",
            f"{s.name} {breaker} 重合后加速动作",
        )
    t.add(reclose + rng.uniform(2, 8), s, breaker, "保护动作", ABNORMAL, CLEAR)
    t.add(reclose + rng.uniform(8, 20), s, breaker, "重合闸动作", ABNORMAL, CLEAR)


def _commloss(plant: Plant, spec: Spec, rng: random.Random) -> _Timeline:
    """One station's telecontrol out (INC-6): channel A, then B, then the link is lost;
    restored 30–120 minutes later."""
    t = _Timeline(spec, _source(plant, SourceKind.SCADA))
    stations = [s for s in _substations(plant) if s.rtu] or _substations(plant)
    s = rng.choice(stations)
    restored = rng.uniform(30, 120) * 60
    t.condition(0, restored - 5, s, s.rtu, "远动主通道中断", ABNORMAL)
    t.condition(25, restored - 25, s, s.rtu, "远动备通道中断", ABNORMAL)
    t.condition(
        30, restored - 30, s, s.rtu, "远动通信中断", ABNORMAL, text=f"{s.name} 远动通信中断"
    )
    return t


BENCH_CLASSES = (LIMIT, CHANGE, INFO, ABNORMAL)


def _bench(plant: Plant, spec: Spec, rng: random.Random) -> _Timeline:
    """``count`` raises over ``signals`` distinct signals spread over the stations' equipment;
    every signal once first (in random order), then repeats at random; 1 ms apart. Each signal
    keeps its class (no accidents: the benchmarks measure ingestion, not accident records)."""
    t = _Timeline(spec, _source(plant, SourceKind.SCADA))
    stations = _substations(plant)
    count = spec.count if spec.count is not None else 10 * spec.signals
    points = []
    for i in range(max(1, spec.signals)):
        s = stations[i % len(stations)]
        equipment = s.all_breakers + s.buses + s.transformers
        ref = equipment[(i // len(stations)) % len(equipment)]
        points.append((s, ref, f"遥信{i:05d}", BENCH_CLASSES[i % len(BENCH_CLASSES)]))
    order = list(range(len(points)))
    rng.shuffle(order)
    for n in range(count):
        s, ref, signal, klass = points[order[n] if n < len(order) else rng.randrange(len(points))]
        t.add(n / 1000, s, ref, signal, klass, RAISE, str(n % 100))
    return t


def plant_of(code: str) -> Plant:
    centre = Centre.objects.filter(code=code).first()
    if centre is None:
        raise SimulationError(f"unknown centre {code!r}")
    return Plant.of(centre)


# --- sending -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a run sent and what the gateway answered."""

    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    answered: bool = True  # MQTT: the broker confirms, the gateway answers nothing back

    def count(self, statuses) -> None:
        for status in statuses:
            setattr(self, status, getattr(self, status) + 1)

    def __str__(self) -> str:
        if not self.answered:
            return f"sent {self.sent} (accepted, duplicate, rejected: see the gateway)"
        return (
            f"sent {self.sent}, accepted {self.accepted}, duplicate {self.duplicate}, "
            f"rejected {self.rejected}"
        )


def batches(events, *, rate: float = 0.0, size: int = MAX_BATCH) -> Iterator[list[dict]]:
    """The events in groups to send: ``size`` at a time as fast as possible, or paced at
    ``rate`` events a second (each group the events that came due, at most ``size``)."""
    group: list[dict] = []
    begin = time.monotonic()
    for n, event in enumerate(events):
        if rate > 0:
            due = begin + n / rate
            if group and due > time.monotonic():
                yield group
                group = []
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
        group.append(event)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def send_direct(events, *, actor, source, rate: float = 0.0, size: int = MAX_BATCH) -> Tally:
    """In this process, through the gateway's one write (``services.events_ingest``)."""
    from . import services

    tally = Tally()
    for group in batches(events, rate=rate, size=size):
        results = services.events_ingest(
            actor=actor, source=source, items=[parse(e) for e in group], channel="simulate"
        )
        tally.sent += len(group)
        tally.count(r.status for r in results)
    return tally
