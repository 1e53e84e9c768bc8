"""The upkeep API: acceptance sheets under /api/centres/{code}/upkeep/acceptance/sheets —
list, get (with points and progress), create, name the checkers, open; and under
/api/centres/{code}/upkeep/acceptance/points/{id}: tick a point (with its version: of two ticks
at once the second answers 409), raise a defect of a wrong point or put
it on the summary list, sign, close (ACC-2 … ACC-4). Every refusal names its rule."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status

from zhiban.core.actors import Source
from zhiban.core.api import Id, VersionIn, centre_of

from .. import services
from ..checklists import side_labels
from ..models import DefectGrade, PointResult, SheetKind, SheetState
from ..selectors import acceptance as selectors
from ..services.acceptance import missing_parties, progress, side_of

router = Router()
API = Source.API
TAG = "upkeep"
S = "/centres/{code}/upkeep/acceptance/sheets"
P = "/centres/{code}/upkeep/acceptance/points"


class AcceptanceProgressOut(Schema):
    total: int
    centre_done: int
    team_done: int
    both_done: int
    both_ok: int
    wrong: int
    unresolved: int
    centre_owes: int
    team_owes: int
    signatures_missing: list[str]


class AcceptancePointOut(Schema):
    id: int
    version: int
    seq: int
    site_id: int | None
    bay: str
    name: str
    remote_type: str
    address: int | None
    klass: str
    low: float | None
    high: float | None
    unit: str
    centre_result: str
    centre_method: str
    centre_remark: str
    centre_by_id: int | None
    centre_at: datetime | None
    team_result: str
    team_method: str
    team_remark: str
    team_by_id: int | None
    team_at: datetime | None
    defect_id: int | None
    summarised: bool
    last_value: str
    last_value_at: datetime | None


class AcceptanceSignatureOut(Schema):
    party: str
    name: str
    person_id: int | None
    signed_at: datetime
    remark: str


class AcceptanceSheetOut(Schema):
    id: int
    version: int
    number: str
    kind: SheetKind
    title: str
    state: SheetState
    site_id: int | None
    team_id: int | None
    centre_checker_id: int | None
    team_checker_id: int | None
    centre_side: str
    team_side: str
    my_side: str | None
    opened_at: datetime | None
    closed_at: datetime | None
    conclusion: str
    progress: AcceptanceProgressOut


class AcceptanceSheetDetailOut(AcceptanceSheetOut):
    points: list[AcceptancePointOut]
    signatures: list[AcceptanceSignatureOut]


class AcceptanceSheetIn(Schema):
    kind: SheetKind
    title: Annotated[str, Field(max_length=200)]
    site: Id
    team: Id


class AcceptanceCheckersIn(VersionIn):
    centre_checker: Id
    team_checker: Id


class AcceptancePointIn(VersionIn):
    """``version``: the sheet's version as read."""

    name: Annotated[str, Field(max_length=200)]
    bay: Annotated[str, Field(max_length=100)] = ""
    remote_type: Literal["", "yx", "yc", "yk", "yt"] = ""
    address: Annotated[int, Field(ge=0, le=16_777_215)] | None = None
    klass: Annotated[str, Field(max_length=10)] = ""
    low: float | None = None
    high: float | None = None
    unit: Annotated[str, Field(max_length=20)] = ""


class AcceptanceTickIn(VersionIn):
    """``version``: the point's version as read; ``method`` defaults to real transmission on a
    four-remote sheet."""

    result: PointResult
    method: Literal["", "real", "simulated"] = ""
    remark: Annotated[str, Field(max_length=200)] = ""


class AcceptanceDefectIn(VersionIn):
    grade: DefectGrade = DefectGrade.GENERAL
    phenomenon: Annotated[str, Field(max_length=1000)] = ""


class AcceptanceSignIn(VersionIn):
    party: Literal["foreman", "supervisor", "designer", "client"]
    name: Annotated[str, Field(max_length=60)]
    remark: Annotated[str, Field(max_length=200)] = ""


class AcceptanceCloseIn(VersionIn):
    conclusion: Annotated[str, Field(max_length=2000)] = ""


class AcceptanceSheetFilters(Schema):
    state: SheetState | None = None


def _out(request, sheet, *, detail: bool) -> dict:
    p = progress(sheet)
    centre_side, team_side = side_labels(sheet.kind)
    data = {
        **{f: getattr(sheet, f) for f in ("id", "version", "number", "kind", "title", "state")},
        "site_id": sheet.site_id,
        "team_id": sheet.team_id,
        "centre_checker_id": sheet.centre_checker_id,
        "team_checker_id": sheet.team_checker_id,
        "centre_side": str(centre_side),
        "team_side": str(team_side),
        "my_side": side_of(sheet, request.user),
        "opened_at": sheet.opened_at,
        "closed_at": sheet.closed_at,
        "conclusion": sheet.conclusion,
        "progress": {
            "total": p.total,
            "centre_done": p.centre_done,
            "team_done": p.team_done,
            "both_done": p.both_done,
            "both_ok": p.both_ok,
            "wrong": p.wrong,
            "unresolved": p.unresolved,
            "centre_owes": p.centre_owes,
            "team_owes": p.team_owes,
            "signatures_missing": missing_parties(sheet),
        },
    }
    if detail:
        data["points"] = list(selectors.points(sheet))
        data["signatures"] = list(sheet.signatures.all())
    return data


def _detail(request, centre, pk):
    return _out(request, selectors.sheet_get(user=request.user, centre=centre, pk=pk), detail=True)


@router.get(S, response=list[AcceptanceSheetOut], operation_id="acceptance_sheet_list", tags=[TAG])
def sheet_list(request, code: str, filters: Query[AcceptanceSheetFilters]):
    """The centre's acceptance sheets, newest first, each with its progress (ACC-2)."""
    centre = centre_of(request, code)
    rows = selectors.sheet_list(user=request.user, centre=centre, state=filters.state or "")
    return [_out(request, s, detail=False) for s in rows[:200]]


@router.get(
    f"{S}/{{pk}}",
    response=AcceptanceSheetDetailOut,
    operation_id="acceptance_sheet_get",
    tags=[TAG],
)
def sheet_get(request, code: str, pk: Id):
    """A sheet with its points, both sides' ticks, progress and signatures (ACC-2 … ACC-4)."""
    return _detail(request, centre_of(request, code), pk)


@router.post(
    S, response={201: AcceptanceSheetDetailOut}, operation_id="acceptance_sheet_create", tags=[TAG]
)
def sheet_create(request, code: str, payload: AcceptanceSheetIn):
    """A sheet prepared by the centre; a stage acceptance starts with its default check items
    (ACC-2, ACC-4)."""
    centre = centre_of(request, code)
    sheet = services.sheet_create(
        actor=request.user, source=API, centre=centre, data=payload.dict()
    )
    return Status(201, _detail(request, centre, sheet.pk))


def _sheet_act(call, request, code, pk, payload=None, *, with_data=True):
    centre = centre_of(request, code)
    sheet = selectors.sheet_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict() if payload is not None else {}
    version = data.pop("version")
    kwargs = {"data": data} if with_data else {}
    call(actor=request.user, source=API, sheet_id=sheet.pk, version=version, **kwargs)
    return _detail(request, centre, pk)


@router.post(
    f"{S}/{{pk}}/checkers",
    response=AcceptanceSheetDetailOut,
    operation_id="acceptance_sheet_checkers",
    tags=[TAG],
)
def sheet_checkers(request, code: str, pk: Id, payload: AcceptanceCheckersIn):
    """The centre's checker (a person of the centre outside the teams) and the team's (a member
    of the sheet's team), one each (ACC-2)."""
    return _sheet_act(services.sheet_checkers, request, code, pk, payload)


@router.post(
    f"{S}/{{pk}}/points",
    response={201: AcceptancePointOut},
    operation_id="acceptance_point_add",
    tags=[TAG],
)
def point_add(request, code: str, pk: Id, payload: AcceptancePointIn):
    """A check item (or a four-remote point by hand) added while the sheet is prepared, at the
    sheet's version as read (409 if stale)."""
    centre = centre_of(request, code)
    sheet = selectors.sheet_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict()
    version = data.pop("version")
    point = services.point_add(
        actor=request.user, source=API, sheet_id=sheet.pk, version=version, data=data
    )
    return Status(201, selectors.point_get(sheet, point.pk))


@router.post(
    f"{S}/{{pk}}/open",
    response=AcceptanceSheetDetailOut,
    operation_id="acceptance_sheet_open",
    tags=[TAG],
)
def sheet_open(request, code: str, pk: Id, payload: VersionIn):
    """Checking begins: both checkers named and at least one point (ACC-2)."""
    return _sheet_act(services.sheet_open, request, code, pk, payload, with_data=False)


@router.post(
    f"{P}/{{pk}}/tick",
    response=AcceptancePointOut,
    operation_id="acceptance_point_tick",
    tags=[TAG],
)
def point_tick(request, code: str, pk: Id, payload: AcceptanceTickIn):
    """The named checker's tick for their side; anyone else is refused (ACC-2); a stale point
    version answers 409 — of two ticks at once, one wins. Both screens update live."""
    return _point_act(services.point_tick, request, code, pk, payload)


def _point_act(call, request, code, pk, payload, *, with_data=True):
    """An action on a point named by its own id (404 unless of the centre's sheets)."""
    centre = centre_of(request, code)
    point = selectors.point_in_centre(user=request.user, centre=centre, pk=pk)
    sheet, point = point.sheet, point.pk
    data = payload.dict()
    version = data.pop("version")
    kwargs = {"data": data} if with_data else {}
    call(
        actor=request.user,
        source=API,
        sheet_id=sheet.pk,
        point_id=point,
        version=version,
        **kwargs,
    )
    return selectors.point_get(sheet, point)


@router.post(
    f"{P}/{{pk}}/raise-defect",
    response=AcceptancePointOut,
    operation_id="acceptance_point_raise_defect",
    tags=[TAG],
)
def point_raise_defect(request, code: str, pk: Id, payload: AcceptanceDefectIn):
    """The centre raises a defect of a wrong point, prefilled from it (ACC-3, DEF-2)."""
    return _point_act(services.point_raise_defect, request, code, pk, payload)


@router.post(
    f"{P}/{{pk}}/summarise",
    response=AcceptancePointOut,
    operation_id="acceptance_point_summarise",
    tags=[TAG],
)
def point_summarise(request, code: str, pk: Id, payload: VersionIn):
    """A wrong point put on the summary list instead of a defect (ACC-3)."""
    return _point_act(services.point_summarise, request, code, pk, payload, with_data=False)


@router.post(
    f"{S}/{{pk}}/sign",
    response=AcceptanceSheetDetailOut,
    operation_id="acceptance_sheet_sign",
    tags=[TAG],
)
def sheet_sign(request, code: str, pk: Id, payload: AcceptanceSignIn):
    """A named party of a stage acceptance signs, once per party (ACC-4)."""
    return _sheet_act(services.sign, request, code, pk, payload)


@router.post(
    f"{S}/{{pk}}/close",
    response=AcceptanceSheetDetailOut,
    operation_id="acceptance_sheet_close",
    tags=[TAG],
)
def sheet_close(request, code: str, pk: Id, payload: AcceptanceCloseIn):
    """Closed only when both sides ticked every point (ACC-2), every wrong point is a defect or
    on the summary list (ACC-3) and the required parties signed (ACC-4)."""
    return _sheet_act(services.sheet_close, request, code, pk, payload)
