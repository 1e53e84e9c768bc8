"""Duty's part of the console (the home page of a person on duty): the "other" column at the
top (DUTY-8), the shift on now and who is on post, the handover state, carried-over items and
today's log with a one-line quick entry. Each panel refreshes live when someone at the centre
writes (core.live.refresh_on_commit)."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core.banners import Banner
from zhiban.core.console import Panel
from zhiban.core.permissions import Action
from zhiban.core.scoping import can

from . import selectors
from .forms import LogEntryForm
from .models import Handover, HandoverState, ItemState, RosterEntry


def other_column(request, centre) -> dict:
    return {"entries": selectors.other_column(user=request.user, centre=centre)[:20]}


def _around(request, centre) -> dict:
    """The shifts around now, once per request (two panels need them)."""
    cached = getattr(request, "_duty_around", None)
    if cached is None or cached[0] != centre.pk:
        cached = (centre.pk, selectors.shifts_around(centre=centre))
        request._duty_around = cached
    return cached[1]


def shift(request, centre) -> dict:
    around = _around(request, centre)
    mine = None
    entries = {}
    for key in ("current", "next"):
        if around[key] is not None:
            entries[key] = list(
                RosterEntry.objects.filter(shift=around[key])
                .select_related("person")
                .order_by("post", "person__name")
            )
            for entry in entries[key]:
                entry.shift = around[key]  # already loaded, with its pattern
            mine = mine or next((e for e in entries[key] if e.person_id == request.user.pk), None)
    return {
        **around,
        "entries": entries,
        "mine": mine,
        "mine_started": mine is not None and mine.shift.starts_at <= timezone.now(),
        "can_serve": can(request.user, Action.DUTY_SERVE, centre),
    }


def handover(request, centre) -> dict:
    around = _around(request, centre)
    current = around["current"]
    record = None
    if current is not None:
        record = (
            Handover.objects.filter(outgoing_shift=current).first()
            or Handover.objects.filter(incoming_shift=current).first()
        )
    counts = {}
    if record is not None:
        found = dict(record.items.values_list("state").annotate(n=Count("id")))
        counts = {state: found.get(state.value, 0) for state in ItemState}
    on_current = (
        current is not None
        and RosterEntry.objects.filter(shift=current, person=request.user.pk).exists()
    )
    return {
        "current": current,
        "handover": record,
        "counts": counts,
        "can_prepare": on_current and record is None,
        "states": HandoverState,
        "item_states": ItemState,
    }


def carried(request, centre) -> dict:
    return {
        "items": selectors.open_carried_items(user=request.user, centre=centre)[:10],
        "can_create": can(request.user, Action.DUTY_SERVE, centre),
    }


def log(request, centre) -> dict:
    midnight = datetime.combine(timezone.localdate(timezone=centre.tz), time.min, tzinfo=centre.tz)
    entries = selectors.log_list(user=request.user, centre=centre).filter(at__gte=midnight)
    can_write = can(request.user, Action.DUTY_SERVE, centre)
    return {
        "entries": entries[:20],
        "can_write": can_write,
        "form": LogEntryForm(centre=centre) if can_write else None,
    }


PANELS = [
    Panel("duty-other", "duty/panels/other.html", other_column, order=5, width="col-12"),
    Panel("duty-shift", "duty/panels/shift.html", shift, order=10),
    Panel("duty-handover", "duty/panels/handover.html", handover, order=20),
    Panel("duty-log", "duty/panels/log.html", log, order=30, width="col-lg-8"),
    Panel("duty-carried", "duty/panels/carried.html", carried, order=40, width="col-lg-4"),
]


def weather_banner(request, centre) -> list[Banner]:
    """DUTY-9: the severe-weather banner on every page of the centre until it is off."""
    weather = selectors.active_weather(centre)
    if weather is None:
        return []
    waiting = weather.confirmations.filter(confirmed_at=None).count()
    text = _("Severe weather: %(kind)s — %(reason)s.") % {
        "kind": weather.get_kind_display(),
        "reason": weather.reason,
    }
    if waiting:
        text += " " + _("%(n)s team leader(s) not yet confirmed on post.") % {"n": waiting}
    return [
        Banner(
            text=text,
            level="danger",
            link=f"/c/{centre.code}/duty/weather/",
            link_text=_("Severe-weather mode"),
            key="weather",
        )
    ]
