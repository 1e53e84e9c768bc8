"""Scoped reads of duty (ORG-3), and the duty log's Chinese substring search (DUTY-6)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.figures import Figure
from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from .models import (
    CarriedItem,
    CarriedState,
    CheckItem,
    Handover,
    HandoverState,
    LogCategory,
    LogEntry,
    RosterEntry,
    SevereWeather,
    Shift,
    ShiftPattern,
    ShiftSwap,
    log_categories,
)


def shift_pattern_list(*, user, centre):
    return limit(ShiftPattern.objects.filter(centre=centre), user)


def shift_pattern_get(*, user, centre, pk):
    return get_or_404(shift_pattern_list(user=user, centre=centre), pk)


def roster_list(*, user, centre, start: date | None = None, end: date | None = None):
    """Roster places of the centre, optionally for days start ≤ day < end."""
    entries = limit(RosterEntry.objects.filter(shift__centre=centre), user, field="shift__centre")
    if start:
        entries = entries.filter(shift__day__gte=start)
    if end:
        entries = entries.filter(shift__day__lt=end)
    return entries.select_related("shift__pattern", "person").order_by(
        "shift__starts_at", "post", "person__name"
    )


def roster_entry_get(*, user, centre, pk):
    return get_or_404(roster_list(user=user, centre=centre), pk)


def shifts_around(*, centre, at=None) -> dict:
    """The shift on now, the one before and the one after, with their people."""
    at = at or timezone.now()
    shifts = Shift.objects.filter(centre=centre).select_related("pattern")
    # newest first along the (centre, starts_at) index: the first hit ends the scan
    current = shifts.filter(starts_at__lte=at, ends_at__gt=at).order_by("-starts_at").first()
    previous = shifts.filter(ends_at__lte=at).order_by("-starts_at").first()
    upcoming = shifts.filter(starts_at__gt=at).order_by("starts_at").first()
    return {"current": current, "previous": previous, "next": upcoming}


def swap_list(*, user, centre):
    return limit(ShiftSwap.objects.filter(centre=centre), user).select_related(
        "first__person",
        "first__shift__pattern",
        "second__person",
        "second__shift__pattern",
        "requested_by",
        "decided_by",
    )


def swap_get(*, user, centre, pk):
    return get_or_404(swap_list(user=user, centre=centre), pk)


def check_item_list(*, user, centre):
    return limit(CheckItem.objects.filter(centre=centre), user)


def check_item_get(*, user, centre, pk):
    return get_or_404(check_item_list(user=user, centre=centre), pk)


def carried_item_list(*, user, centre):
    return limit(CarriedItem.objects.filter(centre=centre), user).select_related(
        "opened_by", "closed_by", "site"
    )


def carried_item_get(*, user, centre, pk):
    return get_or_404(carried_item_list(user=user, centre=centre), pk)


def open_carried_items(*, user, centre):
    return carried_item_list(user=user, centre=centre).filter(state=CarriedState.OPEN)


def handover_list(*, user, centre):
    return limit(Handover.objects.filter(centre=centre), user).select_related(
        "outgoing_shift__pattern",
        "incoming_shift__pattern",
        "outgoing_signed_by",
        "incoming_signed_by",
        "prepared_by",
    )


def handover_get(*, user, centre, pk):
    return get_or_404(handover_list(user=user, centre=centre), pk)


def log_list(*, user, centre):
    return (
        limit(LogEntry.objects.filter(centre=centre), user)
        .select_related("site", "equipment")
        .prefetch_related(
            Prefetch(
                "corrections",
                to_attr="corrected_by",
                queryset=LogEntry.objects.only("id", "corrects_id"),
            )
        )
    )


def log_entry_get(*, user, centre, pk):
    return get_or_404(log_list(user=user, centre=centre), pk)


def other_column(*, user, centre, since=None):
    """DUTY-8: the log's "other" column the next shift must watch (last 24 h by default)."""
    since = since or timezone.now() - timedelta(hours=24)
    return log_list(user=user, centre=centre).filter(category=LogCategory.OTHER, at__gte=since)


def active_weather(centre) -> SevereWeather | None:
    return SevereWeather.objects.filter(centre=centre, ended_at=None).first()


def weather_get(*, user, centre, pk) -> SevereWeather:
    """A severe-weather record of the centre (DUTY-9); 404 outside it (ORG-3)."""
    return get_or_404(limit(SevereWeather.objects.filter(centre=centre), user), pk)


SHORT_SEARCH_DAYS = 90


def search(entries, text: str, recent_only: bool = True):
    """Chinese substring search of the duty log that uses an index (DUTY-6): SQLite FTS5
    with the trigram tokenizer, PostgreSQL pg_trgm. Trigram indexes need three characters;
    a shorter query is a substring scan, so it looks at the last SHORT_SEARCH_DAYS days unless
    the search gives dates (``recent_only=False``) — see docs/performance.md."""
    text = text.strip()
    if not text:
        return entries
    if len(text) < 3:
        if recent_only:
            entries = entries.filter(at__gte=timezone.now() - timedelta(days=SHORT_SEARCH_DAYS))
        return entries.filter(text__contains=text)
    if connection.vendor == "sqlite":
        phrase = '"' + text.replace('"', '""') + '"'
        return entries.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM duty_logentry_fts WHERE duty_logentry_fts MATCH %s", [phrase]
            )
        )
    return entries.filter(text__icontains=text)


def period_figures(*, centre, start, end) -> list[Figure]:
    """Duty's figures of ``centre`` for start ≤ time < end (RPT-1, RPT-4): the duty log's
    entries, by each category the centre's kind writes (DUTY-6), corrections, handovers taken
    over (DUTY-4), late sign-ins (DUTY-2) and carried-over items opened and closed (DUTY-3)."""
    entries = LogEntry.objects.filter(centre=centre, at__gte=start, at__lt=end)
    counted = entries.order_by().values("category").annotate(n=Count("id"))
    by_category = {row["category"]: row["n"] for row in counted}
    figures = [
        Figure("log_entries", _("Duty log entries"), sum(by_category.values()), rule="DUTY-6")
    ]
    figures += [
        Figure(f"log_{value}", label, by_category.get(value, 0), rule="DUTY-6")
        for value, label in log_categories(centre.kind, written_by_zhiban=True)
    ]
    carried = CarriedItem.objects.filter(centre=centre)
    return [
        *figures,
        Figure(
            "log_corrections",
            _("Corrections of the log"),
            entries.filter(corrects__isnull=False).count(),
            better="down",
            rule="DUTY-6",
        ),
        Figure(
            "handovers",
            _("Handovers taken over"),
            Handover.objects.filter(
                centre=centre, incoming_signed_at__gte=start, incoming_signed_at__lt=end
            ).count(),
            rule="DUTY-4",
        ),
        Figure(
            "late_sign_ins",
            _("Late sign-ins"),
            RosterEntry.objects.filter(
                shift__centre=centre,
                shift__starts_at__gte=start,
                shift__starts_at__lt=end,
                late=True,
            ).count(),
            better="down",
            rule="DUTY-2",
        ),
        Figure(
            "carried_opened",
            _("Carried-over items opened"),
            carried.filter(created_at__gte=start, created_at__lt=end).count(),
            rule="DUTY-3",
        ),
        Figure(
            "carried_closed",
            _("Carried-over items closed"),
            carried.filter(closed_at__gte=start, closed_at__lt=end).count(),
            better="up",
            rule="DUTY-3",
        ),
    ]


def log_entries_between(*, centre, start, end):
    """The centre's duty log entries with start ≤ time < end, oldest first (the shift report,
    RPT-1)."""
    return (
        LogEntry.objects.filter(centre=centre, at__gte=start, at__lt=end)
        .select_related("site", "equipment")
        .order_by("at", "id")
    )


def crew(shift) -> list[RosterEntry]:
    """Who was rostered on ``shift``, by post and name (the shift report's signatures, RPT-1)."""
    return list(
        RosterEntry.objects.filter(shift=shift)
        .select_related("person")
        .order_by("post", "person__name")
    )


def handovers_accepted(*, since):
    """Handovers taken over since ``since``, of every centre (the shift reports' catch-up,
    RPT-1)."""
    return Handover.objects.filter(
        state=HandoverState.ACCEPTED, incoming_signed_at__gte=since
    ).select_related("centre", "outgoing_shift")
