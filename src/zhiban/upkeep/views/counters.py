"""Upkeep pages: operation counters (CNT-1 … CNT-3) — the list by station with each count
against its limit, a counter's page (months, the team's limit and reset, the centre's
month-end figure, the defect offered at 满次, the timeline), the .xlsx import with its
row-by-row report, and the month-end statistics per station with a chart and .xlsx."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiban.core import charts
from zhiban.core.actors import Source
from zhiban.core.job_views import start_and_show
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import centre_page, required_version, run_service
from zhiban.org.importing import ImportRefused

from ..counter_export import stats_xlsx
from ..counter_import import COLUMNS, template_xlsx
from ..forms.counters import (
    CounterFilterForm,
    CounterImportForm,
    CounterLimitForm,
    CounterMonthForm,
    CounterOpenForm,
    CounterResetForm,
    CounterStatsForm,
)
from ..jobs import COUNTS_IMPORT
from ..models import CounterKind
from ..selectors import counters as selectors
from ..services import counters as services
from ..services.counters import DEFECT_DONE, keeps_limit

AREA = "upkeep"
C = "c/<str:code>/upkeep"


def home_context(request, centre) -> dict:
    """What the upkeep home shows of counters: those at or near their limits (CNT-2)."""
    rows = selectors.attention(user=request.user, centre=centre)
    shown = list(rows[:11])
    return {
        "counters_attention": shown[:10],
        "counters_attention_more": len(shown) > 10,
        "counters_near_percent": selectors.NEAR_PERCENT,
    }


def defect_offer_url(centre, counter) -> str:
    """CNT-2: the defect report form prefilled for a counter at its limit (满次检修)."""
    try:
        base = reverse("upkeep:defect_report", args=[centre.code])
    except NoReverseMatch:
        base = f"/c/{centre.code}/upkeep/defects/new/"
    phenomenon = _(
        "%(equipment)s: %(kind)s reached its limit, %(count)s of %(limit)s (满次检修, CNT-2)"
    ) % {
        "equipment": counter.equipment.double_name,
        "kind": counter.get_kind_display(),
        "count": counter.count,
        "limit": counter.limit,
    }
    query = {
        "site": counter.equipment.site_id,
        "equipment": counter.equipment_id,
        "kind": "counter_full",
        "grade": "general",
        "phenomenon": phenomenon,
        "origin": "counter",
        "origin_id": counter.pk,
    }
    return f"{base}?{urlencode(query)}"


@centre_page(AREA)
def counter_list(request, centre):
    form = CounterFilterForm(request.GET or None, centre=centre)
    chosen = form.chosen() if request.GET else {}
    rows = selectors.counter_list(user=request.user, centre=centre, **chosen)
    may_open = can(request.user, Action.COUNTER_ENTER, centre) or can(
        request.user, Action.COUNTER_LIMIT, centre
    )
    return render(
        request,
        "upkeep/counter_list.html",
        {
            "form": form,
            "counters": rows[:500],
            "open_form": CounterOpenForm(centre=centre) if may_open else None,
            "may_import": can(request.user, Action.COUNTER_ENTER, centre),
            "near_percent": selectors.NEAR_PERCENT,
        },
        status=200 if not request.GET or form.is_valid() else 422,
    )


@centre_page(AREA)
@require_POST
def counter_open(request, centre):
    form = CounterOpenForm(request.POST, centre=centre)
    counter, status = run_service(
        form,
        lambda: services.counter_open(
            actor=request.user, source=Source.WEB, centre=centre, data=request.POST
        ),
    )
    if counter is not None:
        return redirect("upkeep:counter_detail", centre.code, counter.pk)
    rows = selectors.counter_list(user=request.user, centre=centre)
    return render(
        request,
        "upkeep/counter_list.html",
        {
            "form": CounterFilterForm(centre=centre),
            "counters": rows[:500],
            "open_form": form,
            "may_import": can(request.user, Action.COUNTER_ENTER, centre),
            "near_percent": selectors.NEAR_PERCENT,
        },
        status=status,
    )


def _detail(request, centre, counter, status=200, **forms):
    site = counter.equipment.site
    team_side = keeps_limit(request.user, site)
    centre_side = can(request.user, Action.COUNTER_ENTER, centre)
    defect = counter.defect
    offer = counter.full_at is not None and (defect is None or defect.state in DEFECT_DONE)
    context = {
        "counter": counter,
        "months": selectors.month_list(counter)[:36],
        "events": timeline(user=request.user, centre=centre, obj=counter)[:100],
        "team_side": team_side,
        "centre_side": centre_side,
        "near_percent": selectors.NEAR_PERCENT,
        "limit_form": forms.get("limit_form")
        or (CounterLimitForm(initial={"limit": counter.limit}) if team_side else None),
        "month_form": forms.get("month_form")
        or (CounterMonthForm(centre=centre) if centre_side else None),
        "reset_form": forms.get("reset_form")
        or (CounterResetForm() if team_side and counter.count else None),
        "defect_offer": defect_offer_url(centre, counter) if offer else "",
        "may_reset": defect is None or defect.state in DEFECT_DONE,
    }
    return render(request, "upkeep/counter_detail.html", context, status=status)


@centre_page(AREA)
def counter_detail(request, centre, pk):
    counter = selectors.counter_get(user=request.user, centre=centre, pk=pk)
    return _detail(request, centre, counter)


def _act(request, centre, pk, form_name: str, form, call):
    counter = selectors.counter_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    done, status = run_service(form, lambda: call(counter, version))
    if done is not None:
        return redirect("upkeep:counter_detail", centre.code, counter.pk)
    return _detail(request, centre, counter, status=status, **{form_name: form})


@centre_page(AREA)
@require_POST
def counter_limit(request, centre, pk):
    """CNT-1: the team's limit; below the current count refused beside the form (CNT-2)."""
    return _act(
        request,
        centre,
        pk,
        "limit_form",
        CounterLimitForm(request.POST),
        lambda counter, version: services.counter_limit_set(
            actor=request.user,
            source=Source.WEB,
            counter_id=counter.pk,
            version=version,
            limit=request.POST.get("limit"),
        ),
    )


@centre_page(AREA)
@require_POST
def counter_month(request, centre, pk):
    """CNT-1, CNT-3: the centre's month-end figure."""
    return _act(
        request,
        centre,
        pk,
        "month_form",
        CounterMonthForm(request.POST, centre=centre),
        lambda counter, version: services.counter_month_enter(
            actor=request.user,
            source=Source.WEB,
            counter_id=counter.pk,
            version=version,
            month=request.POST.get("month", ""),
            count=request.POST.get("count"),
        ),
    )


@centre_page(AREA)
@require_POST
def counter_reset(request, centre, pk):
    """CNT-2: the team's reset after maintenance, with its reason."""
    return _act(
        request,
        centre,
        pk,
        "reset_form",
        CounterResetForm(request.POST),
        lambda counter, version: services.counter_reset(
            actor=request.user,
            source=Source.WEB,
            counter_id=counter.pk,
            version=version,
            reason=request.POST.get("reason", ""),
        ),
    )


@centre_page(AREA, Action.COUNTER_ENTER)
def counter_import(request, centre):
    """CNT-3: month-end counts from .xlsx: a row-by-row report, nothing written if any row is
    bad. A file larger than IMPORT_INLINE_BYTES is imported as a job with its progress and its
    report on the job's page (issue 15)."""
    form = CounterImportForm(request.POST or None, request.FILES or None)
    status, result, problems = 200, None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_INLINE_BYTES:
            return start_and_show(
                request,
                centre,
                kind=COUNTS_IMPORT,
                title=f"{_('Import month-end counts')} · {upload.name}",
                params={"file_name": upload.name},
                upload=upload,
            )
        try:
            result = services.counter_import(
                actor=request.user,
                source=Source.WEB,
                centre=centre,
                upload=form.cleaned_data["file"],
            )
        except ImportRefused as refusal:
            status, problems = refusal.status, refusal.rows
            form.add_error(None, refusal.text())
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "upkeep/counter_import.html",
        {"form": form, "result": result, "problems": problems, "columns": COLUMNS},
        status=status,
    )


@centre_page(AREA, Action.COUNTER_ENTER)
def counter_import_template(request, centre):
    return template_xlsx()


@centre_page(AREA)
def counter_stats(request, centre):
    """CNT-3: month-end operations per station and month, as a chart, a table and .xlsx."""
    form = CounterStatsForm(request.GET, centre=centre)
    if not form.is_valid():
        return render(request, "upkeep/counter_stats.html", {"form": form}, status=422)
    chosen = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    stats = selectors.month_stats(user=request.user, centre=centre, **chosen)
    if request.GET.get("export") == "xlsx":
        return stats_xlsx(stats, centre)
    months = [f"{m:%Y-%m}" for m in stats.months]
    series = [(row.site, row.figures) for row in stats.stations]
    chart = charts.chart(
        "counter-months",
        charts.line(months, series or [(_("total"), stats.totals)]),
        label=_("Operations per station and month"),
    )
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "upkeep/counter_stats.html",
        {
            "form": form,
            "stats": stats,
            "chart": chart,
            "month_labels": months,
            "kind_label": selectors.kind_label(stats.kind),
            "query": query.urlencode(),
            "kinds": CounterKind,
        },
    )


# this sub-domain's pages, added to upkeep/urls.py
def _urls() -> list:
    from django.urls import path

    return [
        path(f"{C}/counters/", counter_list, name="counter_list"),
        path(f"{C}/counters/open/", counter_open, name="counter_open"),
        path(f"{C}/counters/import/", counter_import, name="counter_import"),
        path(
            f"{C}/counters/import/template/",
            counter_import_template,
            name="counter_import_template",
        ),
        path(f"{C}/counters/statistics/", counter_stats, name="counter_stats"),
        path(f"{C}/counters/<int:pk>/", counter_detail, name="counter_detail"),
        path(f"{C}/counters/<int:pk>/limit/", counter_limit, name="counter_limit"),
        path(f"{C}/counters/<int:pk>/month/", counter_month, name="counter_month"),
        path(f"{C}/counters/<int:pk>/reset/", counter_reset, name="counter_reset"),
    ]


URLS: list = _urls()
