"""Reports API: shift reports and daily logs (RPT-1, RPT-3) under
``/centres/{code}/reports/shift-reports`` and ``/centres/{code}/reports/daily/{day}``: the
list (paged, by day), one report, the daily log of a day, each also as PDF and .xlsx. Another
centre's report is 404 (ORG-3); a day ahead or before the centre existed is 422 on ``day``."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhiban.core.api import XLSX, Id, Pagination, centre_of
from zhiban.core.pdf import pdf_response
from zhiban.core.permissions import Action

from ..models import ShiftReport
from ..selectors import shift as selectors
from ..selectors.shift import ShownReport
from ..shift_print import shift_pdf, shift_xlsx

router = Router()
TAG = "reports"
BASE = "/centres/{code}/reports"
PDF_ANSWER = {"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}}
XLSX_ANSWER = {"responses": {200: {"description": "Excel", "content": {XLSX: {}}}}}


class ShiftReportQuery(Schema):
    day: str | None = Field(None, max_length=20, examples=["2026-11-27"])


class ShiftReportSummaryOut(Schema):
    """A shift report with both signatures of its handover (DUTY-4); read from the record, or
    from the frozen report as shown (``ShownReport``), which reads the record's fields
    through."""

    id: int
    handover_id: int
    shift: str
    day: date
    starts_at: datetime
    ends_at: datetime
    outgoing_signed_by: str | None
    outgoing_signed_at: datetime | None
    incoming_signed_by: str | None
    incoming_signed_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_shift(obj: ShiftReport | ShownReport) -> str:
        return str(obj.handover.outgoing_shift)

    @staticmethod
    def resolve_day(obj: ShiftReport | ShownReport) -> date:
        return obj.handover.outgoing_shift.day

    @staticmethod
    def resolve_outgoing_signed_by(obj: ShiftReport | ShownReport) -> str | None:
        return str(obj.handover.outgoing_signed_by) if obj.handover.outgoing_signed_by else None

    @staticmethod
    def resolve_outgoing_signed_at(obj: ShiftReport | ShownReport) -> datetime | None:
        return obj.handover.outgoing_signed_at

    @staticmethod
    def resolve_incoming_signed_by(obj: ShiftReport | ShownReport) -> str | None:
        return str(obj.handover.incoming_signed_by) if obj.handover.incoming_signed_by else None

    @staticmethod
    def resolve_incoming_signed_at(obj: ShiftReport | ShownReport) -> datetime | None:
        return obj.handover.incoming_signed_at


class ShiftReportFigureOut(Schema):
    key: str
    label: str
    value: int | float | None
    unit: str
    rule: str


class ShiftReportSectionOut(Schema):
    app: str
    title: str
    figures: list[ShiftReportFigureOut]


class ShiftReportEntryOut(Schema):
    at: datetime | None
    author: str
    text: str
    site: str
    equipment: str
    correction: bool


class ShiftReportCategoryOut(Schema):
    category: str
    label: str
    entries: list[ShiftReportEntryOut]


class ShiftReportOut(ShiftReportSummaryOut):
    """The report as frozen at the take-over, in the reader's language (RPT-1)."""

    sections: list[ShiftReportSectionOut]
    categories: list[ShiftReportCategoryOut]


class DailyLogOut(Schema):
    day: date
    reports: list[ShiftReportOut]


def _centre(request, code: str):
    return centre_of(request, code, Action.REPORT_VIEW)


def _report(request, code: str, pk: int) -> tuple:
    centre = _centre(request, code)
    report = selectors.shift_report_get(user=request.user, centre=centre, pk=pk)
    return centre, selectors.shown(report)


def _daily(request, code: str, day: str) -> tuple:
    centre = _centre(request, code)
    chosen = selectors.parse_day(centre, day)
    reports = selectors.daily_log(user=request.user, centre=centre, day=chosen)
    return centre, chosen, [selectors.shown(r) for r in reports]


@router.get(
    f"{BASE}/shift-reports",
    response=list[ShiftReportSummaryOut],
    tags=[TAG],
    operation_id="shift_report_list",
)
@paginate(Pagination)
def shift_report_list(request, code: str, filters: Query[ShiftReportQuery]):
    """The centre's shift reports, newest first; ``day`` (YYYY-MM-DD): that day's shifts."""
    centre = _centre(request, code)
    day = selectors.parse_day(centre, filters.day) if filters.day else None
    reports = selectors.shift_report_list(user=request.user, centre=centre, day=day)
    return reports.order_by("-starts_at", "-id")


@router.get(
    f"{BASE}/shift-reports/{{pk}}",
    response=ShiftReportOut,
    tags=[TAG],
    operation_id="shift_report_get",
)
def shift_report_get(request, code: str, pk: Id):
    """One shift report: both signatures, the shift's figures, its log by category (RPT-1)."""
    return _report(request, code, pk)[1]


@router.get(
    f"{BASE}/shift-reports/{{pk}}/pdf",
    tags=[TAG],
    operation_id="shift_report_pdf",
    openapi_extra=PDF_ANSWER,
)
def shift_report_pdf(request, code: str, pk: Id):
    """The shift report as the duty book's page, PDF with Chinese text (RPT-3)."""
    centre, shown = _report(request, code, pk)
    return pdf_response(shift_pdf(centre, [shown]), f"shift-report-{pk}.pdf")


@router.get(
    f"{BASE}/shift-reports/{{pk}}/xlsx",
    tags=[TAG],
    operation_id="shift_report_xlsx",
    openapi_extra=XLSX_ANSWER,
)
def shift_report_xlsx(request, code: str, pk: Id):
    """The shift report as a workbook: shifts, figures, log entries, one sheet each."""
    centre, shown = _report(request, code, pk)
    return shift_xlsx(centre, [shown], f"shift-report-{pk}")


@router.get(f"{BASE}/daily/{{day}}", response=DailyLogOut, tags=[TAG], operation_id="daily_log_get")
def daily_log_get(request, code: str, day: str):
    """The daily log of ``day`` (YYYY-MM-DD): the day's shift reports, first shift first."""
    _centre_, chosen, shown = _daily(request, code, day)
    return {"day": chosen, "reports": shown}


@router.get(
    f"{BASE}/daily/{{day}}/pdf", tags=[TAG], operation_id="daily_log_pdf", openapi_extra=PDF_ANSWER
)
def daily_log_pdf(request, code: str, day: str):
    """The daily log bound as one PDF, a shift to a page (RPT-3)."""
    centre, chosen, shown = _daily(request, code, day)
    return pdf_response(shift_pdf(centre, shown, day=chosen), f"daily-log-{chosen:%Y-%m-%d}.pdf")


@router.get(
    f"{BASE}/daily/{{day}}/xlsx",
    tags=[TAG],
    operation_id="daily_log_xlsx",
    openapi_extra=XLSX_ANSWER,
)
def daily_log_xlsx(request, code: str, day: str):
    """The daily log as a workbook: shifts, figures, log entries, one sheet each."""
    centre, chosen, shown = _daily(request, code, day)
    return shift_xlsx(centre, shown, f"daily-log-{chosen:%Y-%m-%d}")
