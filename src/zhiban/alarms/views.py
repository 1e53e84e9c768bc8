"""Alarms and incidents pages. Incidents: the list and new pages come from the resource; the
detail page with its playbook, steps, verdict and closing here (INC-4, INC-6 … INC-10);
accident records (INC-5) are a resource, completing them here."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.errors import DomainError, MissingVersion
from zhiban.core.forms import MonthForm
from zhiban.core.paging import OpenPage
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import attempt, back, centre_page, required_version, run_service
from zhiban.upkeep.views.defects import report_url

from . import figures, selectors, services, tables
from .filters import AlarmFilter
from .forms import (
    AlarmShelveForm,
    IncidentAlarmsForm,
    IncidentCloseForm,
    StepForm,
    VerdictForm,
)
from .models import AlarmClass, AlarmState, IncidentState, StepKind
from .playbooks import Step, playbook
from .selectors import UNACKED_STATES

# --- incidents: the playbook page (INC-4, INC-6 … INC-10, DUTY-10) ----------------------------
# The detail page shows the incident's playbook as a checklist with a small form for each step
# that may come next; a refused step, verdict or closing comes back on the page with the
# message (and the rule) next to its form.


OTHER_FORMS = (StepKind.NOTE, "verdict", "close", "alarms")


def _minute():
    return timezone.localtime().replace(second=0, microsecond=0)


def _incident_page(request, centre, pk, *, bound=None, status=200):
    """The incident page; ``bound`` = (what, form) re-shows a refused form with its message."""
    incident = selectors.incident_get(user=request.user, centre=centre, pk=pk)
    progress = selectors.incident_progress(incident)
    what, bound_form = bound or ("", None)
    manage = incident.state == IncidentState.OPEN and can(
        request.user, Action.INCIDENT_MANAGE, centre
    )

    def step_form(line: Step):
        if what == line.kind:
            return bound_form
        initial = {"kind": line.kind, "at": _minute(), "location": incident.location}
        return StepForm(initial=initial, centre=centre, line=line, auto_id=f"id_{line.kind}_%s")

    forms = {line.kind: step_form(line) for line in progress["allowed"]} if manage else {}
    # a step refused when it was not (or no longer) on offer: its message above the checklist
    refused_step = bool(what) and what not in forms and what not in OTHER_FORMS
    context = {
        "incident": incident,
        "fields": list(
            zip(
                tables.INCIDENT_DETAIL.headers(),
                tables.INCIDENT_DETAIL.cells(incident),
                strict=True,
            )
        ),
        **progress,
        "checklist": [(line, done, forms.get(line.kind)) for line, done in progress["checklist"]],
        "refused_step": bound_form if refused_step else None,
        "note_form": (bound_form if what == StepKind.NOTE else None)
        or StepForm(
            initial={"kind": StepKind.NOTE, "at": _minute()}, centre=centre, auto_id="id_note_%s"
        ),
        "verdict_form": (bound_form if what == "verdict" else None) or VerdictForm(),
        "close_form": (bound_form if what == "close" else None) or IncidentCloseForm(),
        "alarms_form": (bound_form if what == "alarms" else None)
        or IncidentAlarmsForm(
            centre=centre,
            incident=incident,
            alarm_ids=[a.pk for a in selectors.alarms_to_group(incident)],
            offer=True,
        ),
        "manage": manage,
        "defect_url": report_url(  # DEF-1: report a defect found by the incident, prefilled
            centre,
            request.user,
            site=incident.site_id,
            phenomenon=f"{incident.title} {incident.description}".strip()[:1000],
            origin="incident",
            origin_id=incident.pk,
        ),
        "alarms": incident.alarms.select_related("site", "equipment").order_by("first_at"),
        "accident_records": incident.accident_records.select_related("site"),
        "can_record_accident": can(request.user, Action.ACCIDENT_RECORD, centre),
        "events": timeline(user=request.user, centre=centre, obj=incident)[:100],
    }
    return render(request, "alarms/incident.html", context, status=status)


@centre_page("alarms")
def incident_detail(request, centre, pk):
    return _incident_page(request, centre, pk)


def _incident_post(request, centre, incident, what: str, form, service):
    """Run an incident service for a submitted form: back to the page, or the page again with
    the refusal next to that form."""
    done, status = run_service(
        form,
        lambda: service(
            actor=request.user,
            source=Source.WEB,
            incident_id=incident.pk,
            version=required_version(request),
            data=request.POST,
        ),
    )
    if done is not None:
        return redirect(reverse("alarms:incident_detail", args=[centre.code, incident.pk]))
    return _incident_page(request, centre, incident.pk, bound=(what, form), status=status)


@centre_page("alarms", Action.INCIDENT_MANAGE)
@require_POST
def incident_step(request, centre, pk):
    incident = selectors.incident_get(user=request.user, centre=centre, pk=pk)
    kind = request.POST.get("kind", "")
    kind = kind if kind in StepKind.values else "step"
    line = playbook(incident.kind).step(kind)
    form = StepForm(request.POST, centre=centre, line=line, auto_id=f"id_{kind}_%s")
    return _incident_post(
        request,
        centre,
        incident,
        kind,
        form,
        services.incident_step_record,
    )


@centre_page("alarms", Action.INCIDENT_MANAGE)
@require_POST
def incident_verdict(request, centre, pk):
    incident = selectors.incident_get(user=request.user, centre=centre, pk=pk)
    return _incident_post(
        request,
        centre,
        incident,
        "verdict",
        VerdictForm(request.POST),
        services.incident_verdict,
    )


@centre_page("alarms", Action.INCIDENT_MANAGE)
@require_POST
def incident_alarms(request, centre, pk):
    incident = selectors.incident_get(user=request.user, centre=centre, pk=pk)
    form = IncidentAlarmsForm(request.POST, centre=centre, incident=incident)
    return _incident_post(
        request,
        centre,
        incident,
        "alarms",
        form,
        services.incident_alarms_add,
    )


@centre_page("alarms", Action.INCIDENT_MANAGE)
@require_POST
def incident_close(request, centre, pk):
    incident = selectors.incident_get(user=request.user, centre=centre, pk=pk)
    return _incident_post(
        request,
        centre,
        incident,
        "close",
        IncidentCloseForm(request.POST),
        services.incident_close,
    )


@centre_page("alarms", Action.ACCIDENT_RECORD)
@require_POST
def accident_complete(request, centre, pk):
    """INC-5: complete a draft accident record; what is missing comes back as a message."""
    record = selectors.accident_record_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: services.accident_record_complete(
            actor=request.user,
            source=Source.WEB,
            record_id=record.pk,
            version=required_version(request),
        ),
    )
    return redirect(reverse("alarms:accident_detail", args=[centre.code, record.pk]))


# --- alarms: the live console (INC-1, INC-2, INC-3, INC-11) -------------------------------------

CONSOLE_ROWS = 200  # one bounded page, never a count of the whole table
SHELVABLE = (AlarmState.UNACKED, AlarmState.ACKED, AlarmState.CLEARED_UNACKED)


def _site_groups(alarms, rows) -> list[dict]:
    """INC-3: in a flood the console groups the alarms by site, each group headed by its
    counts over every alarm the filters select; nothing is dropped."""
    counts = {
        c["site_id"]: c
        for c in rows.order_by()
        .values("site_id")
        .annotate(
            total=Count("id"),
            unacked=Count("id", filter=Q(state__in=UNACKED_STATES)),
            accidents=Count("id", filter=Q(klass=AlarmClass.ACCIDENT)),
        )
    }
    groups: dict[int, dict] = {}
    for alarm in alarms:
        group = groups.setdefault(
            alarm.site_id, {"site": alarm.site, "alarms": [], **counts.get(alarm.site_id, {})}
        )
        group["alarms"].append(alarm)
    return list(groups.values())


def _page_number(request) -> int:
    value = request.GET.get("page", "")
    return min(max(int(value), 1), 1000) if value.isdigit() and len(value) < 6 else 1


@centre_page("alarms")
def console(request, centre):
    """The live alarm console (INC-1): open alarms most urgent first (INC-11), filtered by
    site, class and state, acknowledged from the keyboard (INC-2), grouped by site in a flood
    (INC-3). An htmx request gets the list alone (the live refresh)."""
    filters = AlarmFilter(
        request.GET,
        queryset=selectors.alarm_list(user=request.user, centre=centre),
        request=request,
    )
    rows = filters.qs if filters.is_valid() else filters.queryset.none()
    number = _page_number(request)
    alarms, more = selectors.alarm_page(rows, (number - 1) * CONSOLE_ROWS, CONSOLE_ROWS)
    page = {
        "number": number,
        "has_next": more,
        "has_previous": number > 1,
        "next_page_number": number + 1,
        "previous_page_number": number - 1,
    }
    flood = selectors.flood(centre)
    context = {
        "filters": filters,
        "page": page,
        "alarms": alarms,
        "flood": flood,
        "groups": _site_groups(alarms, rows) if flood.on else None,
        "unacked_ids": [a.pk for a in alarms if a.state in UNACKED_STATES],
        "by_class": selectors.unacked_by_class(user=request.user, centre=centre),
        "can_ack": can(request.user, Action.ALARM_ACK, centre),
    }
    template = "alarms/_console_list.html" if request.htmx else "alarms/console.html"
    return render(request, template, context)


def _answer(request, centre, call):
    """A one-button action from the console; ``call`` returns what to tell the person. htmx
    gets that line (and the list reloads itself), a plain form goes back to its page. A
    missing version is answered as it is (``core.web.attempt``)."""
    try:
        error, done, status = "", call(), 200
    except MissingVersion:
        raise
    except DomainError as refusal:
        error, done, status = refusal.text(), "", refusal.status
    if request.htmx:
        response = render(
            request, "alarms/_notice.html", {"error": error, "done": done}, status=status
        )
        response["HX-Trigger"] = "alarms-changed"
        return response
    if error:
        messages.error(request, error)
    return back(request, reverse("alarms:home", args=[centre.code]))


@centre_page("alarms", Action.ALARM_ACK)
@require_POST
def alarm_ack(request, centre, pk):
    alarm = selectors.alarm_get(user=request.user, centre=centre, pk=pk)

    def call() -> str:
        services.alarm_ack(actor=request.user, source=Source.WEB, alarm_id=alarm.pk)
        return _("Acknowledged: %(alarm)s") % {"alarm": selectors.alarm_label(alarm)}

    return _answer(request, centre, call)


@centre_page("alarms", Action.ALARM_ACK)
@require_POST
def alarm_ack_many(request, centre):
    """The console's “acknowledge all shown” (Shift+A): the ids of the rows shown."""
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit() and len(v) < 19][:1000]

    def call() -> str:
        n = services.alarm_ack_many(
            actor=request.user, source=Source.WEB, centre=centre, alarm_ids=ids
        )
        return _("Alarms acknowledged: %(n)s") % {"n": n}

    return _answer(request, centre, call)


def _detail_context(request, centre, alarm) -> dict:
    state = alarm.state
    can_shelve = can(request.user, Action.ALARM_SHELVE, centre)
    return {
        "alarm": alarm,
        "label": selectors.alarm_label(alarm),
        "fields": list(zip(tables.ALARMS.headers(), tables.ALARMS.cells(alarm), strict=True)),
        "occurrences": selectors.alarm_events(alarm)[:100],
        "events": timeline(user=request.user, centre=centre, obj=alarm)[:100],
        "accident_records": list(alarm.trip_records()),
        "can_ack": state in UNACKED_STATES and can(request.user, Action.ALARM_ACK, centre),
        "can_unshelve": state == AlarmState.SHELVED and can_shelve,
        "shelve_form": AlarmShelveForm(
            centre=centre,
            initial={"until": timezone.localtime() + timedelta(hours=1)},
        )
        if state in SHELVABLE and can_shelve
        else None,
        "shelve_hours": centre.setting("alarms.shelve_max_hours"),
        "can_open_incident": can(request.user, Action.INCIDENT_MANAGE, centre),
        "defect_url": report_url(  # DEF-1: report a defect of this alarm, prefilled
            centre,
            request.user,
            site=alarm.site_id,
            equipment=alarm.equipment_id,
            phenomenon=selectors.alarm_label(alarm)[:1000],
            origin="alarm",
            origin_id=alarm.pk,
        ),
    }


@centre_page("alarms")
def alarm_detail(request, centre, pk):
    """One alarm: its occurrences (INC-1), who acknowledged it (INC-2), shelving, and the
    way on to an incident or its accident record (INC-5)."""
    alarm = selectors.alarm_get(user=request.user, centre=centre, pk=pk)
    return render(request, "alarms/alarm.html", _detail_context(request, centre, alarm))


@centre_page("alarms", Action.ALARM_SHELVE)
@require_POST
def alarm_shelve(request, centre, pk):
    alarm = selectors.alarm_get(user=request.user, centre=centre, pk=pk)
    form = AlarmShelveForm(request.POST, centre=centre)
    shelved, status = run_service(
        form,
        lambda: services.alarm_shelve(
            actor=request.user,
            source=Source.WEB,
            alarm_id=alarm.pk,
            version=required_version(request),
            data=request.POST,
        ),
    )
    if shelved is not None:
        return back(request, reverse("alarms:alarm_detail", args=[centre.code, alarm.pk]))
    context = _detail_context(request, centre, alarm) | {"shelve_form": form}
    return render(request, "alarms/alarm.html", context, status=status)


@centre_page("alarms", Action.ALARM_SHELVE)
@require_POST
def alarm_unshelve(request, centre, pk):
    alarm = selectors.alarm_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: services.alarm_unshelve(
            actor=request.user,
            source=Source.WEB,
            alarm_id=alarm.pk,
            version=required_version(request),
        ),
    )
    return back(request, reverse("alarms:alarm_detail", args=[centre.code, alarm.pk]))


# --- monthly alarm-management figures (ISA-18.2; INC-2, INC-3, INC-11) --------------------------


@centre_page("alarms")
def alarm_figures(request, centre):
    """The month's alarm-management figures against the ISA-18.2 benchmarks, and the same as
    .xlsx (``?export=xlsx``). A bad month answers 422 with the form and its message."""
    form = MonthForm({"month": request.GET.get("month", "")}, centre=centre)
    if not form.is_valid():
        return render(request, "alarms/figures.html", {"form": form}, status=422)
    month = form.cleaned_data["month"]
    found = selectors.alarm_figures(user=request.user, centre=centre, month=month)
    if request.GET.get("export") == "xlsx":
        return figures.figures_xlsx(found, centre)
    return render(
        request,
        "alarms/figures.html",
        {
            "form": MonthForm(initial={"month": f"{month:%Y-%m}"}, centre=centre),
            "f": found,
            "month": month,
            "previous": (month - timedelta(days=1)).replace(day=1),
            "next": (month + timedelta(days=31)).replace(day=1),
            "basis": figures.BASIS_LABELS[found.hours_basis],
            "benchmarks": figures.BENCHMARKS,
        },
    )


# --- dead letters (INC-1) ----------------------------------------------------------------------


@login_required
def dead_letters(request):
    """What the MQTT gateways could not read, newest first, with the reason (platform
    administrators only)."""
    letters = selectors.dead_letter_list(user=request.user)
    page = OpenPage(letters, request.GET.get("page"))
    return render(request, "alarms/dead_letters.html", {"page": page})
