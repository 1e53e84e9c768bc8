"""Reports pages: shift reports and daily logs (RPT-1, RPT-3) — the list of a centre's shift
reports (paged, by day), one report (both signatures, the shift's figures, its log by
category), the daily log of a day (its shift reports bound), each also as PDF and .xlsx."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import path

from zhiban.core.errors import InvalidInput
from zhiban.core.paging import OpenPage
from zhiban.core.pdf import pdf_response
from zhiban.core.permissions import Action
from zhiban.core.web import centre_page

from ..selectors import shift as selectors
from ..shift_print import shift_pdf, shift_xlsx

AREA = "reports"
VIEW = Action.REPORT_VIEW


def home_context(request, centre) -> dict:
    """The reports home's card: the latest shift reports and the recent days' daily logs."""
    latest = selectors.shift_report_list(user=request.user, centre=centre).order_by("-starts_at")[
        :5
    ]
    return {"shift_reports": list(latest), "daily_days": selectors.recent_days(centre)}


@centre_page(AREA, VIEW)
def shift_report_list(request, centre):
    """RPT-1: the centre's shift reports, newest first, of one day when ``day`` is given."""
    raw = (request.GET.get("day") or "").strip()
    error, day = "", None
    if raw:
        try:
            day = selectors.parse_day(centre, raw)
        except InvalidInput as refusal:
            error = refusal.fields["day"][0]
    reports = selectors.shift_report_list(user=request.user, centre=centre, day=day)
    page = OpenPage(reports.order_by("-starts_at"), request.GET.get("page"), size=30)
    context = {"centre": centre, "page": page, "day": raw, "error": error}
    return render(request, "reports/shift_list.html", context, status=422 if error else 200)


def _report(request, centre, pk):
    return selectors.shown(selectors.shift_report_get(user=request.user, centre=centre, pk=pk))


@centre_page(AREA, VIEW)
def shift_report_detail(request, centre, pk):
    shown = _report(request, centre, pk)
    return render(request, "reports/shift_detail.html", {"centre": centre, "shown": shown})


@centre_page(AREA, VIEW)
def shift_report_pdf(request, centre, pk):
    """RPT-3: the shift report printed as the duty book's page."""
    shown = _report(request, centre, pk)
    return pdf_response(shift_pdf(centre, [shown]), f"shift-report-{pk}.pdf")


@centre_page(AREA, VIEW)
def shift_report_xlsx(request, centre, pk):
    return shift_xlsx(centre, [_report(request, centre, pk)], f"shift-report-{pk}")


def _daily(request, centre, day: str):
    """The day's shift reports in the reader's language; a bad day is no page (404)."""
    try:
        chosen = selectors.parse_day(centre, day)
    except InvalidInput:
        raise Http404 from None
    reports = selectors.daily_log(user=request.user, centre=centre, day=chosen)
    return chosen, [selectors.shown(r) for r in reports]


@centre_page(AREA, VIEW)
def daily_log(request, centre, day):
    """RPT-1: the daily log of a day — its shift reports bound together; a day ahead or
    before the centre existed says so (422)."""
    try:
        chosen = selectors.parse_day(centre, day)
    except InvalidInput as refusal:
        context = {"centre": centre, "day": None, "error": refusal.fields["day"][0]}
        return render(request, "reports/daily_log.html", context, status=422)
    reports = selectors.daily_log(user=request.user, centre=centre, day=chosen)
    context = {"centre": centre, "day": chosen, "reports": [selectors.shown(r) for r in reports]}
    return render(request, "reports/daily_log.html", context)


@centre_page(AREA, VIEW)
def daily_log_pdf(request, centre, day):
    chosen, shown = _daily(request, centre, day)
    return pdf_response(shift_pdf(centre, shown, day=chosen), f"daily-log-{chosen:%Y-%m-%d}.pdf")


@centre_page(AREA, VIEW)
def daily_log_xlsx(request, centre, day):
    chosen, shown = _daily(request, centre, day)
    return shift_xlsx(centre, shown, f"daily-log-{chosen:%Y-%m-%d}")


C = "c/<str:code>/reports"
URLS = [
    path(f"{C}/shift-reports/", shift_report_list, name="shift_report_list"),
    path(f"{C}/shift-reports/<int:pk>/", shift_report_detail, name="shift_report_detail"),
    path(f"{C}/shift-reports/<int:pk>/pdf/", shift_report_pdf, name="shift_report_pdf"),
    path(f"{C}/shift-reports/<int:pk>/xlsx/", shift_report_xlsx, name="shift_report_xlsx"),
    path(f"{C}/daily/<str:day>/", daily_log, name="daily_log"),
    path(f"{C}/daily/<str:day>/pdf/", daily_log_pdf, name="daily_log_pdf"),
    path(f"{C}/daily/<str:day>/xlsx/", daily_log_xlsx, name="daily_log_xlsx"),
]
