"""Duty pages: the duty overview, roster month and swaps (DUTY-1), sign-in/out (DUTY-2,
DUTY-5), the handover record (DUTY-3, DUTY-4, DUTY-5, DUTY-10), carried-over items, the duty
log with corrections and quick entry (DUTY-6 … DUTY-8) and severe weather (DUTY-9)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhiban.core import console
from zhiban.core.actors import Source
from zhiban.core.errors import DomainError
from zhiban.core.exports import xlsx_response
from zhiban.core.paging import OpenPage
from zhiban.core.pdf import pdf_response
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline_of
from zhiban.core.views import render_panel
from zhiban.core.web import attempt, back, centre_page, required_version, run_service

from . import pdf, selectors, services, tables
from .filters import LogFilter
from .forms import (
    ClarifyForm,
    ConfirmOnPostForm,
    CopyWeekForm,
    CorrectionForm,
    HandoverNotesForm,
    LogEntryForm,
    RosterForm,
    RunningIncidentForm,
    SwapForm,
    UnclearForm,
    WeatherForm,
)
from .models import POSTS, CheckState, HandoverState, RosterEntry, SevereWeather

WEB = Source.WEB


@centre_page("duty")
def home(request, centre):
    """The duty overview: the duty panels of the console, and the duty pages."""
    panels = [
        (p, render_panel(request, centre, p)) for p in console.panels() if p.key.startswith("duty-")
    ]
    return render(
        request,
        "duty/home.html",
        {
            "panels": panels,
            "can_plan": can(request.user, Action.DUTY_PLAN, centre),
            "weather": selectors.active_weather(centre),
        },
    )


# --- roster (DUTY-1) ---------------------------------------------------------------------------


def _month(request, centre) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate(timezone=centre.tz).replace(day=1)


@centre_page("duty")
def roster(request, centre):
    """The month as a calendar: days × shifts, the people and posts in each cell."""
    first = _month(request, centre)
    last_day = calendar.monthrange(first.year, first.month)[1]
    end = first + timedelta(days=last_day)
    entries = selectors.roster_list(user=request.user, centre=centre, start=first, end=end)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            tables.ROSTER, entries, f"{first:%Y-%m}", f"{centre.code}-roster-{first:%Y-%m}"
        )
    patterns = list(
        selectors.shift_pattern_list(user=request.user, centre=centre).filter(active=True)
    )
    cells: dict = {}
    rank = {post: i for i, post in enumerate(POSTS)}
    for entry in sorted(entries, key=lambda e: (rank.get(e.post, len(POSTS)), e.post)):
        cells.setdefault((entry.shift.day, entry.shift.pattern_id), []).append(entry)
    today = timezone.localdate(timezone=centre.tz)
    days = [first + timedelta(days=i) for i in range(last_day)]
    rows = [(day, [cells.get((day, p.pk), []) for p in patterns]) for day in days]
    can_plan = can(request.user, Action.DUTY_PLAN, centre)
    return render(
        request,
        "duty/roster.html",
        {
            "month": first,
            "previous": (first - timedelta(days=1)).replace(day=1),
            "next": end,
            "patterns": patterns,
            "rows": rows,
            "today": today,
            "now": timezone.now(),
            "can_plan": can_plan,
            "form": RosterForm(centre=centre, initial={"day": today}) if can_plan else None,
            "copy_form": CopyWeekForm(
                centre=centre, initial={"week": today - timedelta(days=today.weekday())}
            )
            if can_plan
            else None,
            "posts": POSTS,
        },
    )


@centre_page("duty", Action.DUTY_PLAN)
@require_POST
def roster_assign(request, centre):
    form = RosterForm(request.POST, centre=centre)
    _result, status = run_service(
        form,
        lambda: services.roster_assign(
            actor=request.user, source=WEB, centre=centre, data=request.POST
        ),
    )
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return back(request, reverse("duty:roster", args=[centre.code]))


@centre_page("duty", Action.DUTY_PLAN)
@require_POST
def roster_remove(request, centre, pk):
    entry = selectors.roster_entry_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: services.roster_remove(
            actor=request.user, source=WEB, entry_id=entry.pk, version=required_version(request)
        ),
    )
    return back(request, reverse("duty:roster", args=[centre.code]))


@centre_page("duty", Action.DUTY_PLAN)
@require_POST
def roster_copy_week(request, centre):
    def call():
        added = services.roster_copy_week(
            actor=request.user, source=WEB, centre=centre, data=request.POST
        )
        messages.success(request, str(added))

    attempt(request, call)
    return back(request, reverse("duty:roster", args=[centre.code]))


@centre_page("duty")
@require_POST
def sign(request, centre, pk, action):
    """Sign in (DUTY-2) or out (DUTY-5) of one's own place on the roster."""
    entry = selectors.roster_entry_get(user=request.user, centre=centre, pk=pk)
    call = services.sign_in if action == "in" else services.sign_out
    attempt(
        request,
        lambda: call(
            actor=request.user, source=WEB, entry_id=entry.pk, version=required_version(request)
        ),
    )
    return back(request, reverse("core:centre_home", args=[centre.code]))


@centre_page("duty")
def swaps(request, centre):
    """Swap requests and the shift leader's decisions (DUTY-1)."""
    form = SwapForm(request.POST or None)
    if request.method == "POST":
        _saved, _status = run_service(
            form,
            lambda: services.swap_request(
                actor=request.user, source=WEB, centre=centre, data=request.POST
            ),
        )
        if not form.errors:
            return HttpResponseRedirect(reverse("duty:swaps", args=[centre.code]))
    upcoming = selectors.roster_list(user=request.user, centre=centre).filter(
        shift__ends_at__gt=timezone.now(), signed_in_at=None
    )
    return render(
        request,
        "duty/swaps.html",
        {
            "swaps": selectors.swap_list(user=request.user, centre=centre)[:50],
            "form": form,
            "mine": upcoming.filter(person=request.user.pk),
            "others": upcoming.exclude(person=request.user.pk)[:200],
            "can_decide": can(request.user, Action.DUTY_APPROVE_SWAP, centre),
        },
    )


@centre_page("duty", Action.DUTY_APPROVE_SWAP)
@require_POST
def swap_decide(request, centre, pk):
    swap = selectors.swap_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: services.swap_decide(
            actor=request.user,
            source=WEB,
            swap_id=swap.pk,
            version=required_version(request),
            approve=request.POST.get("approve") == "1",
        ),
    )
    return HttpResponseRedirect(reverse("duty:swaps", args=[centre.code]))


# --- handover (DUTY-3, DUTY-4, DUTY-5, DUTY-10) ------------------------------------------------


@centre_page("duty")
@require_POST
def handover_prepare(request, centre):
    try:
        handover = services.handover_prepare(actor=request.user, source=WEB, centre=centre)
    except DomainError as error:
        messages.error(request, error.text())
        return back(request, reverse("core:centre_home", args=[centre.code]))
    return HttpResponseRedirect(reverse("duty:handover_detail", args=[centre.code, handover.pk]))


@centre_page("duty")
def handover_detail(request, centre, pk):
    """The handover record and everything each side can do on it now."""
    handover = selectors.handover_get(user=request.user, centre=centre, pk=pk)
    out_people = RosterEntry.objects.filter(shift=handover.outgoing_shift).select_related("person")
    in_people = RosterEntry.objects.filter(shift=handover.incoming_shift).select_related("person")
    me = request.user.pk
    outgoing = any(e.person_id == me for e in out_people)
    incoming = any(e.person_id == me for e in in_people)
    preparing = handover.state == HandoverState.PREPARING
    offered = handover.state == HandoverState.OFFERED
    return render(
        request,
        "duty/handover.html",
        {
            "h": handover,
            "out_people": out_people,
            "in_people": in_people,
            "items": handover.items.select_related("acknowledged_by", "handed_over_by"),
            "checks": handover.checks.select_related("check_item"),
            "outgoing": outgoing,
            "incoming": incoming,
            "preparing": preparing,
            "offered": offered,
            "notes_form": HandoverNotesForm(
                initial={"work_done": handover.work_done, "notes": handover.notes}
            ),
            "unclear_form": UnclearForm(),
            "clarify_form": ClarifyForm(),
            "running_form": RunningIncidentForm(centre=centre, auto_id=False),
            "check_states": [
                (CheckState.NORMAL, CheckState.NORMAL.label),
                (CheckState.ABNORMAL, CheckState.ABNORMAL.label),
            ],
            "events": timeline_of(
                user=request.user,
                centre=centre,
                objects=[handover, *handover.items.all(), *handover.checks.all()],
            )[:100],
        },
    )


HANDOVER_ACTIONS = {
    "refresh": lambda request, h: services.handover_refresh(
        actor=request.user, source=WEB, handover_id=h.pk, version=required_version(request)
    ),
    "notes": lambda request, h: services.handover_write_notes(
        actor=request.user,
        source=WEB,
        handover_id=h.pk,
        version=required_version(request),
        data=request.POST,
    ),
    "offer": lambda request, h: services.handover_offer(
        actor=request.user, source=WEB, handover_id=h.pk, version=required_version(request)
    ),
    "accept": lambda request, h: services.handover_accept(
        actor=request.user, source=WEB, handover_id=h.pk, version=required_version(request)
    ),
    "check": lambda request, h: services.handover_check(
        actor=request.user,
        source=WEB,
        handover_id=h.pk,
        version=required_version(request),
        check_id=request.POST.get("check"),
        data=request.POST,
    ),
}

ITEM_ACTIONS = {
    "acknowledge": lambda request, item: services.handover_item_acknowledge(
        actor=request.user, source=WEB, item_id=item.pk, version=required_version(request)
    ),
    "unclear": lambda request, item: services.handover_item_mark_unclear(
        actor=request.user,
        source=WEB,
        item_id=item.pk,
        version=required_version(request),
        data=request.POST,
    ),
    "running": lambda request, item: services.handover_item_hand_over_running(
        actor=request.user,
        source=WEB,
        item_id=item.pk,
        version=required_version(request),
        data=request.POST,
    ),
    "clarify": lambda request, item: services.handover_item_clarify(
        actor=request.user,
        source=WEB,
        item_id=item.pk,
        version=required_version(request),
        data=request.POST,
    ),
}


@centre_page("duty")
@require_POST
def handover_act(request, centre, pk, action):
    handover = selectors.handover_get(user=request.user, centre=centre, pk=pk)
    if action in HANDOVER_ACTIONS:
        attempt(request, lambda: HANDOVER_ACTIONS[action](request, handover))
    elif action in ITEM_ACTIONS:
        item = handover.items.filter(pk=request.POST.get("item")).first()
        if item is not None:
            attempt(request, lambda: ITEM_ACTIONS[action](request, item))
    return HttpResponseRedirect(reverse("duty:handover_detail", args=[centre.code, handover.pk]))


@centre_page("duty")
def handover_pdf(request, centre, pk):
    handover = selectors.handover_get(user=request.user, centre=centre, pk=pk)
    return pdf_response(pdf.handover_pdf(handover), f"handover-{handover.pk}.pdf")


@centre_page("duty")
@require_POST
def carried_close(request, centre, pk):
    item = selectors.carried_item_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: services.carried_item_close(
            actor=request.user,
            source=WEB,
            item_id=item.pk,
            version=required_version(request),
            data=request.POST,
        ),
    )
    return HttpResponseRedirect(reverse("duty:carried_detail", args=[centre.code, item.pk]))


# --- the duty log (DUTY-6, DUTY-7, DUTY-8) -----------------------------------------------------


@centre_page("duty")
def log(request, centre):
    filters = LogFilter(
        request.GET or None,
        queryset=selectors.log_list(user=request.user, centre=centre),
        request=request,
    )
    rows = filters.qs if filters.is_bound and filters.is_valid() else filters.queryset
    if request.GET.get("export") == "xlsx":
        return xlsx_response(tables.LOG, rows, "log", f"{centre.code}-log")
    found = filters.form.cleaned_data if filters.is_bound and filters.is_valid() else {}
    searching = bool(found.get("q"))
    page = (
        OpenPage(rows, request.GET.get("page"))
        if searching
        else Paginator(rows, 50).get_page(request.GET.get("page"))
    )
    short = (
        searching and len(found["q"].strip()) < 3 and not (found.get("since") or found.get("until"))
    )
    can_write = can(request.user, Action.DUTY_SERVE, centre)
    return render(
        request,
        "duty/log.html",
        {
            "filters": filters,
            "page": page,
            "can_write": can_write,
            "searching": searching,
            "short_days": selectors.SHORT_SEARCH_DAYS if short else None,
            "form": LogEntryForm(centre=centre) if can_write else None,
        },
    )


@centre_page("duty", Action.DUTY_SERVE)
@require_POST
def log_new(request, centre):
    """Write an entry (the quick-entry box on the console posts here with htmx)."""
    form = LogEntryForm(request.POST, centre=centre)
    _entry, status = run_service(
        form,
        lambda: services.log_entry_create(
            actor=request.user, source=WEB, centre=centre, data=request.POST
        ),
    )
    if request.htmx:
        panel = console.get("duty-log")
        extra = {"form": form} if form.errors else {}
        return HttpResponse(render_panel(request, centre, panel, **extra), status=status)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return back(request, reverse("duty:log", args=[centre.code]))


@centre_page("duty", Action.DUTY_SERVE)
def log_correct(request, centre, pk):
    """Write a correction; the original stays visible, struck through (DUTY-6)."""
    original = selectors.log_entry_get(user=request.user, centre=centre, pk=pk)
    form = CorrectionForm(request.POST or None, initial={"text": original.shown_text})
    status = 200
    if request.method == "POST":
        entry, status = run_service(
            form,
            lambda: services.log_entry_correct(
                actor=request.user, source=WEB, entry_id=original.pk, data=request.POST
            ),
        )
        if entry is not None:
            return HttpResponseRedirect(reverse("duty:log", args=[centre.code]))
    return render(
        request, "duty/log_correct.html", {"original": original, "form": form}, status=status
    )


# --- severe weather (DUTY-9) -------------------------------------------------------------------


@centre_page("duty")
def weather(request, centre):
    active = selectors.active_weather(centre)
    form = WeatherForm(request.POST or None, centre=centre)
    status = 200
    if request.method == "POST" and active is None:
        started, status = run_service(
            form,
            lambda: services.weather_start(
                actor=request.user, source=WEB, centre=centre, data=request.POST
            ),
        )
        if started is not None:
            return HttpResponseRedirect(reverse("duty:weather", args=[centre.code]))
    mine = active.confirmations.filter(person=request.user.pk).first() if active else None
    return render(
        request,
        "duty/weather.html",
        {
            "active": active,
            "form": form,
            "mine": mine,
            "confirm_form": ConfirmOnPostForm(),
            "confirmations": active.confirmations.select_related("person") if active else [],
            "can_switch": can(request.user, Action.DUTY_WEATHER, centre),
            "history": SevereWeather.objects.filter(centre=centre).exclude(ended_at=None)[:10],
        },
        status=status,
    )


@centre_page("duty")
@require_POST
def weather_act(request, centre, pk, action):
    weather = selectors.weather_get(user=request.user, centre=centre, pk=pk)
    if action == "confirm":
        attempt(
            request,
            lambda: services.weather_confirm(
                actor=request.user, source=WEB, weather_id=weather.pk, data=request.POST
            ),
        )
    else:
        attempt(
            request,
            lambda: services.weather_end(
                actor=request.user,
                source=WEB,
                weather_id=weather.pk,
                version=required_version(request),
            ),
        )
    return HttpResponseRedirect(reverse("duty:weather", args=[centre.code]))
