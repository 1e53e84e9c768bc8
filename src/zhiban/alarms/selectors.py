"""Scoped reads of incidents (ORG-3), and the open ones as handover items (DUTY-3, DUTY-10)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core.figures import Figure
from zhiban.core.scoping import limit, require_platform_admin
from zhiban.core.selectors import get_or_404
from zhiban.core.timewindow import shown
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from .models import (
    AccidentRecord,
    Alarm,
    AlarmClass,
    AlarmEvent,
    AlarmSource,
    AlarmState,
    Commissioning,
    DeadLetter,
    Incident,
    IncidentState,
)
from .words import words_for


def on_duty_operator(centre, at):
    """The person on duty at the centre at that time (INC-5): signed in by then and not yet
    signed out (DUTY-2). The crew holding the duty comes first: the shift on at that time,
    until its handover was accepted, after which the incoming shift holds it, even before
    it starts (DUTY-5); then the chief operator's post (正值)."""
    from zhiban.duty.models import Handover, RosterEntry

    accepted = Handover.objects.filter(incoming_signed_at__lte=at)
    entries = (
        RosterEntry.objects.filter(
            Q(signed_out_at__isnull=True) | Q(signed_out_at__gt=at),
            shift__centre=centre,
            shift__ends_at__gt=at - timedelta(days=1),  # not a sign-out forgotten long ago
            signed_in_at__lte=at,
        )
        .annotate(
            handed_over=Exists(accepted.filter(outgoing_shift=OuterRef("shift"))),
            taken_over=Exists(accepted.filter(incoming_shift=OuterRef("shift"))),
        )
        .select_related("shift", "person")
        .order_by("shift__starts_at", "post", "signed_in_at")
    )

    def rank(entry) -> tuple[bool, bool]:
        on = entry.taken_over or entry.shift.starts_at <= at < entry.shift.ends_at
        return (entry.handed_over or not on, "正值" not in entry.post)

    chosen = min(entries, key=rank, default=None)
    return chosen.person if chosen else None


# --- incidents and accident records (INC-4 … INC-10, INC-5, DUTY-10) ---------------------------


def incident_list(*, user, centre):
    return (
        limit(Incident.objects.filter(centre=centre), user)
        .select_related("site", "opened_by", "closed_by")
        .prefetch_related("steps", "alarms")
    )


def incident_get(*, user, centre, pk):
    return get_or_404(incident_list(user=user, centre=centre), pk)


def incident_progress(incident) -> dict:
    """Where the incident stands in its playbook (INC-4, INC-6 … INC-10): the checklist
    (each line with its recorded steps), the steps that may come next, and what closing
    still needs."""
    from .playbooks import playbook

    book = playbook(incident.kind)
    steps = list(incident.steps.all())
    done = {s.kind for s in steps}
    missing = [s.label for s in book.missing(done, incident.verdict)]
    if book.verdict_missing(incident.verdict):
        missing.insert(0, _("the verdict (real, false or fault)"))
    return {
        "book": book,
        "checklist": [
            (line, [s for s in steps if s.kind == line.kind])
            for line in book.shown(incident.verdict)
        ],
        "allowed": book.allowed(done, incident.verdict),
        "missing": missing,
        "verdict_due": bool(book.verdict_after)
        and not incident.verdict
        and book.verdict_after in done,
        "steps": steps,
    }


def open_incident_things(centre) -> Iterable[OpenThing]:
    """DUTY-10: an incident being handled blocks the handover, named in the refusal with what
    its playbook still needs."""
    for incident in Incident.objects.filter(
        centre=centre, state=IncidentState.OPEN
    ).prefetch_related("steps"):
        missing = incident_progress(incident)["missing"]
        detail = incident.get_state_display()
        if missing:
            detail = _("%(state)s; still to record: %(steps)s") % {
                "state": detail,
                "steps": "、".join(str(m) for m in missing),
            }
        yield OpenThing(
            ItemKind.INCIDENT,
            incident.title[:300],
            ref=incident,
            link=f"/c/{centre.code}/alarms/incidents/{incident.pk}/",
            detail=detail[:300],
            blocks=True,
        )


def alarms_to_group(incident, limit_to: int = 20):
    """The newest open alarms of the incident's site (or centre) that no incident holds yet,
    offered for grouping on the incident page."""
    alarms = Alarm.objects.filter(centre_id=incident.centre_id, incident=None).exclude(
        state=AlarmState.CLEARED
    )
    if incident.site_id:
        alarms = alarms.filter(site_id=incident.site_id)
    return alarms.order_by("-last_at")[:limit_to]


def accident_record_list(*, user, centre):
    """The centre's accident records, each with its breaker's trip count (INC-5, CNT)."""
    from zhiban.upkeep.models import CounterKind, OperationCounter

    trips = OperationCounter.objects.filter(equipment=OuterRef("equipment"), kind=CounterKind.TRIP)
    return (
        limit(AccidentRecord.objects.filter(centre=centre), user)
        .select_related("site", "equipment", "operator", "incident", "alarm", "completed_by")
        .annotate(trips=Subquery(trips.values("count")[:1]))
    )


def accident_record_get(*, user, centre, pk):
    return get_or_404(accident_record_list(user=user, centre=centre), pk)


# --- alarms: people's side (INC-1, INC-2, INC-3, INC-11) ----------------------------------------

# the states an acknowledgement leaves (INC-2: ``Alarm.FLOW``)
UNACKED_STATES = tuple(s for s in AlarmState if Alarm.FLOW.allows(s, "acknowledge"))


def alarm_list(*, user, centre):
    """The centre's alarms, most urgent first (INC-11: priority, then the latest)."""
    return limit(Alarm.objects.filter(centre=centre), user).select_related(
        "centre",
        "site",
        "equipment",
        "acked_by",
        "source",  # the centre: its kind's words
    )


def alarm_get(*, user, centre, pk):
    return get_or_404(alarm_list(user=user, centre=centre).select_related("shelved_by"), pk)


def alarm_page(alarms, start: int, size: int) -> tuple[list, bool]:
    """One bounded page of a filtered alarm list and whether more follow, without counting.
    The ids are chosen first on the alarm table alone (the index on centre and state), then
    only those rows are read with their site, equipment and people."""
    ids = list(alarms.values_list("pk", flat=True)[start : start + size + 1])
    rows = {alarm.pk: alarm for alarm in alarms.filter(pk__in=ids[:size])}
    return [rows[pk] for pk in ids[:size] if pk in rows], len(ids) > size


def alarm_events(alarm):
    """The alarm's occurrences as they arrived (INC-1), newest first: the events of its key
    from its first occurrence until it cleared (or now)."""
    until = alarm.cleared_at or timezone.now()
    return AlarmEvent.objects.filter(
        alarm_key=alarm.key, occurred_at__gte=alarm.first_at, occurred_at__lte=until
    ).order_by("-occurred_at", "-id")


def unacked_by_class(*, user, centre) -> list[tuple[str, int]]:
    """How many alarms wait for an acknowledgement, per class in priority order (INC-2,
    INC-11)."""
    counts = dict(
        alarm_list(user=user, centre=centre)
        .filter(state__in=UNACKED_STATES)
        .values_list("klass")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(klass, counts.get(klass, 0)) for klass in AlarmClass]


@dataclass(frozen=True)
class Flood:
    """INC-3: new alarms at the centre in the window, and whether that is a flood."""

    count: int
    minutes: int
    on: bool


def flood(centre) -> Flood:
    """INC-3: more than ``alarms.flood_count`` new alarms within ``alarms.flood_window_minutes``
    at the centre. Suppressed alarms are not announced, so they do not count."""
    minutes = centre.setting("alarms.flood_window_minutes")
    since = timezone.now() - timedelta(minutes=minutes)
    count = (
        Alarm.objects.filter(centre=centre, first_at__gte=since)
        .exclude(state=AlarmState.SUPPRESSED)
        .count()
    )
    return Flood(count, minutes, count > centre.setting("alarms.flood_count"))


def alarm_label(alarm) -> str:
    """Site, equipment by its double name (OPS-15) and signal."""
    where = alarm.equipment.double_name if alarm.equipment_id else ""
    return " ".join(part for part in (alarm.site.name, where, alarm.signal) if part)


def shelved_alarm_things(centre) -> Iterable[OpenThing]:
    """INC-2: shelved alarms are listed at the handover with reason and expiry (not blocking)."""
    shelved = Alarm.objects.filter(centre=centre, state=AlarmState.SHELVED).select_related(
        "site", "equipment", "shelved_by"
    )
    for alarm in shelved.order_by("shelved_until", "id"):
        until = shown(alarm.shelved_until, centre.tz) if alarm.shelved_until else ""
        yield OpenThing(
            ItemKind.ALARM,
            alarm_label(alarm)[:300],
            ref=alarm,
            link=f"/c/{centre.code}/alarms/{alarm.pk}/",
            detail=(
                _("Shelved until %(until)s by %(who)s: %(reason)s")
                % {"until": until, "who": alarm.shelved_by or "", "reason": alarm.shelve_reason}
            )[:300],
        )


def alarm_source_list(*, user, centre):
    return limit(AlarmSource.objects.filter(centre=centre), user)


def alarm_source_get(*, user, centre, pk):
    return get_or_404(alarm_source_list(user=user, centre=centre), pk)


def commissioning_list(*, user, centre):
    return limit(Commissioning.objects.filter(centre=centre), user).select_related(
        "equipment__site", "recorded_by"
    )


def commissioning_get(*, user, centre, pk):
    return get_or_404(commissioning_list(user=user, centre=centre), pk)


# --- monthly alarm-management figures (ISA-18.2; INC-2, INC-3, INC-11) --------------------------


def alarm_figures(*, user, centre, month):
    """The centre's alarm-management figures of a calendar month in its zone (``month`` its
    first day): see ``figures.py``. Reads only the alarms and roster the person may see."""
    from zhiban.duty.models import RosterEntry

    from . import figures

    roster = limit(RosterEntry.objects.filter(shift__centre=centre), user, field="shift__centre")
    alarms = limit(Alarm.objects.filter(centre=centre), user)
    return figures.alarm_figures(alarms, roster, centre=centre, month=month)


# --- dead letters (INC-1) ----------------------------------------------------------------------


def dead_letter_list(*, user, channel: str = ""):
    """What the gateways could not read, newest first: platform administrators only (they are
    no centre's, ORG-3)."""
    require_platform_admin(user)
    letters = DeadLetter.objects.all()
    return letters.filter(channel=channel) if channel else letters


# --- period figures for the shift and monthly reports (RPT-1; INC-3, INC-5, ISA-18.2) -----------


def _announced_in(centre, start, end):
    return (
        Alarm.objects.filter(centre=centre, first_at__gte=start, first_at__lt=end)
        .exclude(state=AlarmState.SUPPRESSED)
        .order_by()
    )


def period_figures(*, centre, start, end) -> list[Figure]:
    """RPT-1: the alarms announced in [start, end) (a suppressed alarm is not announced and is
    counted apart), trips (事故记录, INC-5), incidents opened, the operator-hours on duty and
    alarms per operator-hour (ISA-18.2, as ``figures.py`` counts them), and the share of
    flood windows (INC-3: the centre's window and count, the same as the flood banner).
    Five aggregate queries on the (centre, first_at) index, for a shift or a month; a period
    still running is counted up to now."""
    from zhiban.duty.models import RosterEntry

    from . import figures

    until = max(start, min(end, timezone.now()))
    counts = (
        Alarm.objects.filter(centre=centre, first_at__gte=start, first_at__lt=end)
        .order_by()
        .aggregate(
            announced=Count("id", filter=~Q(state=AlarmState.SUPPRESSED)),
            suppressed=Count("id", filter=Q(state=AlarmState.SUPPRESSED)),
        )
    )
    roster = RosterEntry.objects.filter(shift__centre=centre)
    hours, _basis = figures._operator_hours(roster, start, until)
    flood = figures._flood(_announced_in(centre, start, until), centre, start, until)
    trips = []  # INC-5 is the power centre's: a security room has no breaker trips
    if words_for(centre).accident_records:
        records = AccidentRecord.objects.filter(
            centre=centre, occurred_at__gte=start, occurred_at__lt=end
        )
        label = gettext_lazy("Trips (事故跳闸)")
        trips.append(Figure("trips", label, records.count(), better="down", rule="INC-5"))
    incidents = Incident.objects.filter(centre=centre, opened_at__gte=start, opened_at__lt=end)
    per_hour = counts["announced"] / hours if hours else None
    return [
        Figure("alarms", gettext_lazy("Alarms announced"), counts["announced"], rule="INC-1"),
        Figure("alarms_suppressed", gettext_lazy("Alarms suppressed"), counts["suppressed"]),
        *trips,
        Figure("incidents", gettext_lazy("Incidents opened"), incidents.count(), better="down"),
        Figure("operator_hours", gettext_lazy("Operator-hours on duty"), round(hours, 1), "h"),
        Figure(
            "alarms_per_operator_hour",
            gettext_lazy("Alarms per operator-hour"),
            None if per_hour is None else round(per_hour, 2),
            better="down",
            rule="INC-3",
        ),
        Figure(
            "flood_share",
            gettext_lazy("Time in alarm flood"),
            None if flood.share is None else round(100 * flood.share, 2),
            unit="%",
            better="down",
            rule="INC-3",
        ),
    ]


def alarms_per_day(*, centre, start, end) -> list[tuple[date, int]]:
    """RPT-1: the alarms announced each day of [start, end) in the centre's zone, every day
    listed (zeros included). One query grouped by hour since ``start`` (integer arithmetic on
    the stored time, as the flood windows: a per-row time-zone conversion cost SQLite 1.5 s a
    month of 60,000 alarms), each hour then put on its day in the centre's zone."""
    from . import figures

    per_hour = (
        _announced_in(centre, start, end)
        .annotate(hour=figures._window_of(start, 3600))
        .values_list("hour")
        .annotate(n=Count("id"))
    )
    counts: dict[date, int] = {}
    for hour, n in per_hour:
        day = timezone.localtime(start + timedelta(hours=hour), centre.tz).date()
        counts[day] = counts.get(day, 0) + n
    first = timezone.localtime(start, centre.tz).date()
    last = timezone.localtime(end - timedelta(microseconds=1), centre.tz).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [(day, counts.get(day, 0)) for day in days]


def alarms_by_class(*, centre, start, end) -> list[tuple[str, str, int]]:
    """RPT-1, INC-11: the alarms announced in [start, end) per class in priority order
    (class, label in the centre kind's words, count), zeros included; one grouped query."""
    counts = dict(_announced_in(centre, start, end).values_list("klass").annotate(n=Count("id")))
    return [(k, str(label), counts.get(k, 0)) for k, label in words_for(centre).choices()]


def incidents_by_kind(*, centre, start, end) -> list[tuple[str, int]]:
    """RPT-1: the incidents opened in [start, end) per kind (label, count), most first."""
    rows = (
        Incident.objects.filter(centre=centre, opened_at__gte=start, opened_at__lt=end)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by("-n", "kind")
    )
    labels = dict(Incident._meta.get_field("kind").flatchoices)
    return [(str(labels.get(kind, kind)), n) for kind, n in rows]


def trips_by_site(*, centre, start, end) -> list[tuple[str, int]]:
    """RPT-1, INC-5: the trips (事故记录) of [start, end) per station (name, count), most
    first; one grouped query."""
    return list(
        AccidentRecord.objects.filter(centre=centre, occurred_at__gte=start, occurred_at__lt=end)
        .order_by()
        .values_list("site__name")
        .annotate(n=Count("id"))
        .order_by("-n", "site__name")
    )
