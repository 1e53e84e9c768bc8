"""Upkeep pages: defects (DEF-1 … DEF-3) — the list by age with its filters, paging and .xlsx
export, the report form (prefilled from the page that offers it: an alarm, an incident, a
patrol result, a counter, an acceptance point), the defect's page with where it went and
why, its deadline, its lifecycle actions and its timeline; each action one small POST view."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.errors import NotFound
from zhiban.core.exports import xlsx_response
from zhiban.core.nav import AREAS
from zhiban.core.paging import OpenPage
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import deadline_list, timeline
from zhiban.core.web import centre_page, required_version, run_service, submitted

from .. import services
from ..forms.defects import (
    AssignForm,
    ClassifyForm,
    DefectForm,
    EliminateForm,
    MeasureForm,
    RejectForm,
)
from ..models import DefectGrade, DefectOrigin, DefectState
from ..resources.defects import DEFECTS, handled_by, is_overdue
from ..selectors import defects as selectors
from ..services.defects import allowed_actions, open_deadlines, owner_side, routing_reason_text

AREA = "upkeep"
C = "c/<str:code>/upkeep"
UPKEEP_CENTRES = next(area.kinds for area in AREAS if area.key == AREA)
PREFILL = ("site", "equipment", "kind", "grade", "phenomenon", "origin", "origin_id")


def report_url(centre, user=None, **prefill) -> str:
    """The prefilled report page, for the pages that offer "report a defect" (an alarm, an
    incident, a patrol result); "" where the centre keeps no defects or the person may not
    report one."""
    if centre.kind not in UPKEEP_CENTRES:
        return ""
    if user is not None and not can(user, Action.DEFECT_REPORT, centre):
        return ""
    query = urlencode({k: v for k, v in prefill.items() if k in PREFILL and v not in (None, "")})
    url = reverse("upkeep:defect_report", args=[centre.code])
    return f"{url}?{query}" if query else url


def home_context(request, centre) -> dict:
    """What the upkeep home shows of defects (templates/upkeep/_home_defects.html)."""
    now = timezone.now()
    open_ = selectors.open_defects(centre)
    by_grade = {g: 0 for g in DefectGrade.values}
    for row in open_.values("grade").order_by().annotate(n=Count("id")):
        by_grade[row["grade"]] = row["n"]
    return {
        "defects_by_grade": [
            (label, by_grade[value], value) for value, label in DefectGrade.choices
        ],
        "defects_overdue": open_.filter(due_at__lte=now).count(),
        "defects_urgent": list(selectors.urgent_defects(centre, now)[:8]),
        "defect_list_url": reverse("upkeep:defect_list", args=[centre.code]),
        "can_report_defect": can(request.user, Action.DEFECT_REPORT, centre),
    }


@centre_page(AREA)
def defect_list(request, centre):
    """DEF-1: the defects by age (oldest open first) with grade, state, who handles them and
    their deadline; filters, pages without a total count, .xlsx export."""
    r = DEFECTS
    filters = r.filterset(
        request.GET or None, queryset=r.list(user=request.user, centre=centre), request=request
    )
    rows = filters.qs if filters.is_bound and filters.is_valid() else filters.queryset
    if request.GET.get("export") == "xlsx":
        return xlsx_response(r.table, rows, str(r.label_plural), f"{centre.code}-defects")
    page = OpenPage(rows, request.GET.get("page"), r.page_size)
    now = timezone.now()
    for defect in page.object_list:
        defect.overdue = is_overdue(defect, now)
        defect.handled_by = handled_by(defect)
    context = {
        "r": r,
        "filters": filters,
        "page": page,
        "defects": page.object_list,
        "can_report": can(request.user, Action.DEFECT_REPORT, centre),
    }
    template = "upkeep/_defect_rows.html" if request.htmx else "upkeep/defect_list.html"
    return render(request, template, context)


@centre_page(AREA, Action.DEFECT_REPORT)
def defect_report(request, centre):
    """DEF-1, DEF-2: report a defect; the page that offers it fills in what it knows. Only
    where the centre keeps defects (power and engineering centres)."""
    if centre.kind not in UPKEEP_CENTRES:
        raise NotFound()
    origin = request.POST.get("origin") or request.GET.get("origin") or DefectOrigin.MANUAL
    origin_id = request.POST.get("origin_id") or request.GET.get("origin_id") or ""
    initial = {k: request.GET[k] for k in PREFILL[:5] if request.GET.get(k)}
    form = DefectForm(request.POST or None, initial=initial, centre=centre)
    status = 200
    if request.method == "POST":
        defect, status = run_service(
            form,
            lambda: services.defect_report(
                actor=request.user,
                source=Source.WEB,
                centre=centre,
                data=submitted(DefectForm, request.POST),
                origin=origin,
                origin_id=origin_id,
            ),
        )
        if defect is not None:
            return redirect(reverse("upkeep:defect_detail", args=[centre.code, defect.pk]))
    return render(
        request,
        "upkeep/defect_report.html",
        {
            "form": form,
            "origin": origin if origin in DefectOrigin.values else DefectOrigin.MANUAL,
            "origin_label": DefectOrigin(origin).label if origin in DefectOrigin.values else "",
            "origin_id": origin_id[:40],
            "list_url": reverse("upkeep:defect_list", args=[centre.code]),
        },
        status=status,
    )


def origin_link(centre, defect) -> str:
    """The record the defect was reported from, where it has a page."""
    names = {
        DefectOrigin.ALARM: "alarms:alarm_detail",
        DefectOrigin.INCIDENT: "alarms:incident_detail",
        DefectOrigin.PATROL: "patrols:round_detail",
    }
    name = names.get(defect.origin)
    if not name or not defect.origin_id.isdigit():
        return ""
    try:
        return reverse(name, args=[centre.code, int(defect.origin_id)])
    except NoReverseMatch:
        return ""


# the forms of the actions that take input
ACTION_FORMS = {
    "classify": ClassifyForm,
    "measure": MeasureForm,
    "assign": AssignForm,
    "eliminate": EliminateForm,
    "reject": RejectForm,
}


def _form(action, centre, defect, data=None):
    kwargs = {"centre": centre, "auto_id": f"id_{action}_%s"}
    if action == "assign":
        kwargs["people"] = owner_side(defect)
        initial = {"assignee": defect.assignee_id}
    elif action == "classify":
        initial = {"grade": defect.grade, "kind": defect.kind}
    elif action == "measure":
        initial = {"temporary_measure": defect.temporary_measure}
    else:
        initial = {}
    return ACTION_FORMS[action](data, initial=initial, **kwargs)


def _page(request, centre, defect, *, bound=None, status=200):
    actions = allowed_actions(request.user, defect)
    what, bound_form = bound or ("", None)
    forms = {
        action: (bound_form if action == what else _form(action, centre, defect))
        for action in actions
        if action in ACTION_FORMS
    }
    context = {
        "defect": defect,
        "routing_text": routing_reason_text(defect.routing_reason),
        "overdue": is_overdue(defect),
        "handled_by": handled_by(defect),
        "actions": actions,
        "forms": forms,
        "refusal": bound_form if what and what not in forms else None,
        "origin_url": origin_link(centre, defect),
        "deadlines": deadline_list(user=request.user, centre=centre).filter(
            content_type__app_label="upkeep",
            content_type__model="defect",
            object_id=str(defect.pk),
        ),
        "open_deadline": open_deadlines(defect).first(),
        "events": timeline(user=request.user, centre=centre, obj=defect)[:100],
        "list_url": reverse("upkeep:defect_list", args=[centre.code]),
        "states": DefectState,
    }
    return render(request, "upkeep/defect_detail.html", context, status=status)


@centre_page(AREA)
def defect_detail(request, centre, pk):
    """A defect: where it went and why (DEF-2), its deadline (DEF-1, DEF-3), the actions open
    to this person, the record it came from, its timeline."""
    return _page(request, centre, selectors.defect_get(user=request.user, centre=centre, pk=pk))


def _action_view(action: str, service, with_data: bool):
    @centre_page(AREA, Action.DEFECT_HANDLE)
    @require_POST
    def view(request, centre, pk):
        defect = selectors.defect_get(user=request.user, centre=centre, pk=pk)
        if action in ACTION_FORMS:
            form = _form(action, centre, defect, request.POST)
        else:  # a bound empty form to carry a refusal's message
            form = forms.Form(data={})
            form.full_clean()
        version = required_version(request)
        kwargs = {"data": request.POST} if with_data else {}
        done, status = run_service(
            form,
            lambda: service(
                actor=request.user,
                source=Source.WEB,
                defect_id=defect.pk,
                version=version,
                **kwargs,
            ),
        )
        if done is not None:
            return redirect(reverse("upkeep:defect_detail", args=[centre.code, defect.pk]))
        defect = selectors.defect_get(user=request.user, centre=centre, pk=pk)
        return _page(request, centre, defect, bound=(action, form), status=status)

    view.__name__ = f"defect_{action}"
    view.__doc__ = (service.__doc__ or "").split("\n")[0]
    return view


ACTIONS = {
    "classify": (services.defect_classify, True),
    "measure": (services.defect_measure, True),
    "assign": (services.defect_assign, True),
    "eliminate": (services.defect_eliminate, True),
    "verify": (services.defect_verify, False),
    "reject": (services.defect_reject, True),
    "close": (services.defect_close, False),
}

# this sub-domain's pages, added to upkeep/urls.py
URLS: list = [
    path(f"{C}/defects/", defect_list, name="defect_list"),
    path(f"{C}/defects/new/", defect_report, name="defect_report"),
    path(f"{C}/defects/<int:pk>/", defect_detail, name="defect_detail"),
    *[
        path(
            f"{C}/defects/<int:pk>/{action}/",
            _action_view(action, service, with_data),
            name=f"defect_{action}",
        )
        for action, (service, with_data) in ACTIONS.items()
    ],
]
