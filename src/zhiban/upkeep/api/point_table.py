"""The upkeep API: a commissioning sheet's four-remote point table (ACC-2) — the .xlsx import
(multipart; any bad row → 422 with ``rows`` and nothing written), its template, and the
accepted points as the IEC 104 bridge's point file."""

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, UploadedFile

from zhiban.core.actors import Source
from zhiban.core.api import XLSX, Id, centre_of

from .. import point_table
from ..selectors import point_table as selectors
from ..services import point_table as services

router = Router(tags=["upkeep: point tables"])
SHEET = "/centres/{code}/upkeep/acceptance/sheets/{pk}"


class PointsImportOut(Schema):
    sheet_id: int
    version: int
    points: int


@router.post(
    f"{SHEET}/points/import",
    response=PointsImportOut,
    operation_id="acceptance_points_import",
)
def points_import(
    request,
    code: str,
    pk: Id,
    file: File[UploadedFile | None] = None,
    version: int = Form(..., description="the sheet's version, as read (DESIGN-1)"),
):
    """Import a new station's four-remote point table (.xlsx) into a commissioning sheet being
    prepared, replacing its points (ACC-2). Every row is checked first: a duplicate address, an
    unknown station, a missing type … → 422 with ``rows`` (row, column, message naming ACC-2)
    and nothing written. Once checking has begun → 409 naming ACC-2. (The parts are optional
    here so that another centre's sheet answers 404 before the form says what is missing.)"""
    centre = centre_of(request, code)
    sheet = selectors.commissioning_sheet_get(user=request.user, centre=centre, pk=pk)
    done = services.points_import(
        actor=request.user, source=Source.API, sheet_id=sheet.pk, version=version, file=file
    )
    return {"sheet_id": done.sheet.pk, "version": done.sheet.version, "points": done.points}


@router.get(
    f"{SHEET}/iec104-points.csv",
    operation_id="acceptance_iec104_points",
    openapi_extra={"responses": {200: {"description": "csv", "content": {"text/csv": {}}}}},
)
def iec104_points(request, code: str, pk: Id):
    """The points both checkers accepted, as the IEC 104 bridge's point file (``ioa, type,
    site, equipment, signal, class, raise_on, high, low``; ACC-2). 遥控 and 遥调 points and
    遥测 points without a limit are left out (the bridge reads neither); how many is in the
    ``X-Zhiban-Left-Out`` header."""
    sheet = selectors.commissioning_sheet_get(
        user=request.user, centre=centre_of(request, code), pk=pk
    )
    return csv_response(sheet)


@router.get(
    "/centres/{code}/upkeep/acceptance/point-table-template.xlsx",
    operation_id="acceptance_point_table_template",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def point_table_template(request, code: str):
    """The point table to fill in: the columns, example rows, the types and classes (ACC-2)."""
    centre_of(request, code)
    return template_response()


def csv_response(sheet) -> HttpResponse:
    text, left_out = point_table.bridge_csv(selectors.accepted_points(sheet))
    return HttpResponse(
        text.encode("utf-8"),
        content_type=point_table.CSV,
        headers={
            "Content-Disposition": f'attachment; filename="{point_table.bridge_file_name(sheet)}"',
            "X-Zhiban-Left-Out": str(left_out),
        },
    )


def template_response() -> HttpResponse:
    return HttpResponse(
        point_table.template(),
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{point_table.TEMPLATE_NAME}"'},
    )
