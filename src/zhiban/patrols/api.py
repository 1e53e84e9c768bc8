"""The patrols API under /api/: checkpoints and plans (PAT-1, with the .xlsx export of each
list), rounds and their acts on a phone (PAT-2, PAT-4), and the completion per plan, person
and shift (PAT-3). Every act on a round sends the round's version (409 when stale)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhiban.core.actors import Source
from zhiban.core.api import Id, Text, VersionIn, add_crud, centre_of
from zhiban.core.errors import InvalidInput

from . import selectors, services
from .models import CheckpointKind, PlanKind, Result
from .resources import CHECKPOINTS, PLANS, ROUNDS

router = Router(tags=["patrols"])
API = Source.API
Name = Annotated[str, Field(max_length=100)]
Items = Annotated[str, Field(max_length=10_000, description="One per line; “text >= N” counted")]


class PatrolCheckItemOut(Schema):
    seq: int
    text: str
    minimum: int | None


class PatrolCheckpointOut(Schema):
    id: int
    site_id: int
    equipment_id: int | None
    kind: str
    name: str
    token: str = Field(description="What the checkpoint's QR code carries")
    short_code: str
    active: bool
    items: list[PatrolCheckItemOut]
    version: int

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


class PatrolCheckpointIn(Schema):
    site: Id
    equipment: Id | None = None
    kind: CheckpointKind
    name: Name
    items: Items = ""
    active: bool = True


class PatrolCheckpointPatch(Schema):
    version: Id
    site: Id | None = None
    equipment: Id | None = None
    kind: CheckpointKind | None = None
    name: Name | None = None
    items: Items | None = None
    active: bool | None = None


class PatrolPlanOut(Schema):
    id: int
    name: str
    what: str
    kind: str
    times: int | None
    interval_minutes: int | None
    window_starts: str | None = Field(description="HH:MM in the centre's zone")
    window_ends: str | None = Field(description="HH:MM; earlier than the start: the next day")
    role: str
    team_id: int | None
    station_patrol: bool
    checkpoints: list[int]
    active: bool
    version: int

    @staticmethod
    def resolve_checkpoints(obj) -> list[int]:
        return [c.pk for c in obj.checkpoints.all()]

    @staticmethod
    def resolve_window_starts(obj) -> str | None:
        return f"{obj.window_starts:%H:%M}" if obj.window_starts else None

    @staticmethod
    def resolve_window_ends(obj) -> str | None:
        return f"{obj.window_ends:%H:%M}" if obj.window_ends else None


class PatrolPlanIn(Schema):
    name: Name
    what: Annotated[str, Field(max_length=300)] = ""
    kind: PlanKind
    times: int | None = Field(None, ge=1, le=10_000, description="Empty: the centre's setting")
    interval_minutes: int | None = Field(None, ge=5, le=1440)
    window_starts: str | None = Field(None, max_length=8, examples=["09:30"])
    window_ends: str | None = Field(None, max_length=8, examples=["10:30"])
    role: Annotated[str, Field(max_length=20)] = ""
    team: Id | None = None
    station_patrol: bool = False
    checkpoints: list[Id] = Field(min_length=1, max_length=10_000)
    active: bool = True


class PatrolPlanPatch(Schema):
    version: Id
    name: Name | None = None
    what: Annotated[str, Field(max_length=300)] | None = None
    kind: PlanKind | None = None
    times: int | None = Field(None, ge=1, le=10_000)
    interval_minutes: int | None = Field(None, ge=5, le=1440)
    window_starts: str | None = Field(None, max_length=8, examples=["09:30"])
    window_ends: str | None = Field(None, max_length=8, examples=["10:30"])
    role: Annotated[str, Field(max_length=20)] | None = None
    team: Id | None = None
    station_patrol: bool | None = None
    checkpoints: list[Id] | None = Field(None, min_length=1, max_length=10_000)
    active: bool | None = None


class PatrolCheckOut(Schema):
    checkpoint_id: int
    checkpoint: str
    result: str
    note: str
    counts: dict[str, int]
    checked_at: datetime | None
    checked_by_id: int | None
    confirmed_at: datetime | None
    photos: list[int]

    @staticmethod
    def resolve_checkpoint(obj) -> str:
        return str(obj.checkpoint)

    @staticmethod
    def resolve_photos(obj) -> list[int]:
        return [p.pk for p in obj.photos.all()]


class PatrolRoundOut(Schema):
    id: int
    plan_id: int
    plan: str
    shift: str
    window_start: datetime
    window_end: datetime
    state: str
    walker_id: int | None
    started_at: datetime | None
    ended_at: datetime | None
    question: str
    answer: str
    answered_by_id: int | None
    answered_at: datetime | None
    version: int

    @staticmethod
    def resolve_plan(obj) -> str:
        return obj.plan.name


class PatrolRoundDetailOut(PatrolRoundOut):
    checks: list[PatrolCheckOut]

    @staticmethod
    def resolve_checks(obj) -> list:
        return list(obj.checks.all())


class PatrolAnswerIn(VersionIn):
    question: Annotated[str, Field(max_length=500)] = ""
    answer: Text


class PatrolCheckIn(VersionIn):
    checkpoint: Id
    result: Result
    note: Annotated[str, Field(max_length=1000)] = ""
    counts: dict[Annotated[str, Field(max_length=5)], Annotated[int, Field(ge=0, le=10_000)]] = (
        Field(default_factory=dict, description="Counted items by their order number")
    )


class PatrolConfirmIn(VersionIn):
    code: Annotated[str, Field(max_length=60, description="The QR code's token or short code")]


class PatrolPhotoIn(VersionIn):
    checkpoint: Id
    image_base64: str = Field(max_length=70_000_000, description="JPEG, PNG or WebP")


class PatrolPhotoOut(Schema):
    id: int
    content_type: str
    size: int


class PatrolCompletionRow(Schema):
    label: str
    total: int
    done: int
    missed: int
    open: int
    percent: int


class PatrolCompletionOut(Schema):
    since: datetime
    until: datetime
    plan: list[PatrolCompletionRow]
    person: list[PatrolCompletionRow]
    shift: list[PatrolCompletionRow]


class PatrolSpanIn(Schema):
    since: date | None = None
    until: date | None = None


add_crud(
    router,
    CHECKPOINTS,
    path="patrols/checkpoints",
    out=PatrolCheckpointOut,
    create_in=PatrolCheckpointIn,
    patch_in=PatrolCheckpointPatch,
    tag="patrols",
)
add_crud(
    router,
    PLANS,
    path="patrols/plans",
    out=PatrolPlanOut,
    create_in=PatrolPlanIn,
    patch_in=PatrolPlanPatch,
    tag="patrols",
)
add_crud(router, ROUNDS, path="patrols/rounds", out=PatrolRoundDetailOut, tag="patrols")

R = "/centres/{code}/patrols/rounds/{pk}"


class PatrolGeneratedOut(Schema):
    added: int


@router.post(
    "/centres/{code}/patrols/generate",
    response=PatrolGeneratedOut,
    operation_id="patrol_rounds_generate",
)
def rounds_generate(request, code: str):
    """PAT-2: the rounds due within a day from the centre's plans, now rather than at the
    job's next run (after a plan changed); running it again adds nothing."""
    centre = centre_of(request, code)
    return {"added": services.rounds_generate(actor=request.user, source=API, centre=centre)}


def _round(request, code, pk):
    return selectors.round_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(f"{R}/answer", response=PatrolRoundDetailOut, operation_id="patrol_round_answer")
def round_answer(request, code: str, pk: Id, payload: PatrolAnswerIn):
    """PAT-4: the centre's answer to the field operator's question before a station patrol."""
    rnd = _round(request, code, pk)
    data = payload.dict()
    version = data.pop("version")
    services.round_answer(
        actor=request.user, source=API, round_id=rnd.pk, version=version, data=data
    )
    return _round(request, code, pk)


@router.post(f"{R}/start", response=PatrolRoundDetailOut, operation_id="patrol_round_start")
def round_start(request, code: str, pk: Id, payload: VersionIn):
    """PAT-2: start the round in its window (a station patrol after the answer, PAT-4)."""
    rnd = _round(request, code, pk)
    services.round_start(actor=request.user, source=API, round_id=rnd.pk, version=payload.version)
    return _round(request, code, pk)


@router.post(f"{R}/check", response=PatrolRoundDetailOut, operation_id="patrol_round_check")
def round_check(request, code: str, pk: Id, payload: PatrolCheckIn):
    """PAT-2: a checkpoint's result: normal, or abnormal with a note; counted items."""
    rnd = _round(request, code, pk)
    data = payload.dict()
    version = data.pop("version")
    services.round_check(
        actor=request.user, source=API, round_id=rnd.pk, version=version, data=data
    )
    return _round(request, code, pk)


@router.post(f"{R}/confirm", response=PatrolRoundDetailOut, operation_id="patrol_round_confirm")
def round_confirm(request, code: str, pk: Id, payload: PatrolConfirmIn):
    """PAT-2: a checkpoint confirmed by its QR code's token or its short code."""
    rnd = _round(request, code, pk)
    services.round_confirm(
        actor=request.user,
        source=API,
        round_id=rnd.pk,
        version=payload.version,
        data={"code": payload.code},
    )
    return _round(request, code, pk)


@router.post(f"{R}/photo", response={201: PatrolPhotoOut}, operation_id="patrol_round_photo")
def round_photo(request, code: str, pk: Id, payload: PatrolPhotoIn):
    """PAT-2: a photo of a checkpoint's result, base64 in JSON: only images, size-limited."""
    rnd = _round(request, code, pk)
    try:
        data = base64.b64decode(payload.image_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            rule="PAT-2", fields={"image_base64": [_("The image is not base64 (PAT-2).")]}
        ) from None
    photo = services.round_photo(
        actor=request.user,
        source=API,
        round_id=rnd.pk,
        version=payload.version,
        checkpoint_id=payload.checkpoint,
        data=data,
    )
    return 201, photo


@router.post(f"{R}/end", response=PatrolRoundDetailOut, operation_id="patrol_round_end")
def round_end(request, code: str, pk: Id, payload: VersionIn):
    """PAT-2: end the round; a second end (or a second guard) answers 409."""
    rnd = _round(request, code, pk)
    services.round_end(actor=request.user, source=API, round_id=rnd.pk, version=payload.version)
    return _round(request, code, pk)


@router.get(
    "/centres/{code}/patrols/completion",
    response=PatrolCompletionOut,
    operation_id="patrol_completion",
)
def completion(request, code: str, filters: Query[PatrolSpanIn]):
    """PAT-3: rounds done, missed and open per plan, person and shift (the last 7 days by
    default, at most a year)."""
    centre = centre_of(request, code)
    query = {k: v.isoformat() for k, v in filters.dict().items() if v is not None}
    since, until = selectors.span(centre, query)
    figures = selectors.completion(user=request.user, centre=centre, since=since, until=until)
    return {
        "since": since,
        "until": until,
        **{
            key: [{**row.__dict__, "percent": row.percent} for row in rows]
            for key, rows in figures.items()
        },
    }
