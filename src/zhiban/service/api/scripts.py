"""The scripts API (CS-11): list, one script with its revisions, create, change (with the
version read), retire and reactivate."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import Id, Pagination, VersionIn, centre_of

from ..forms.scripts import MAX_TEXT
from ..models import ScriptKind
from ..selectors import scripts as selectors
from ..services import scripts as services

router = Router(tags=["service: scripts"])
Title = Annotated[str, Field(max_length=100)]
Body = Annotated[str, Field(max_length=MAX_TEXT)]
BASE = "/service/{code}/scripts"


class ScriptRevisionOut(Schema):
    revision: int
    title: str
    body: str
    by_id: int
    by_name: str
    at: datetime

    @staticmethod
    def resolve_by_name(obj) -> str:
        return obj.by.name


class ScriptOut(Schema):
    id: int
    kind: ScriptKind
    title: str
    body: str
    revision: int
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class ScriptDetailOut(ScriptOut):
    revisions: list[ScriptRevisionOut] = Field(description="Every text it has had, newest first")

    @staticmethod
    def resolve_revisions(obj) -> list:
        return list(obj.revisions.all())


class ScriptIn(Schema):
    kind: ScriptKind
    title: Title
    body: Body


class ScriptPatch(Schema):
    version: Id
    kind: ScriptKind | None = None
    title: Title | None = None
    body: Body | None = None


class ScriptFilters(Schema):
    kind: ScriptKind | None = None
    active: bool | None = None


def _get(request, code: str, pk: int):
    return selectors.script_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.get(BASE, response=list[ScriptOut], operation_id="service_script_list")
@paginate(Pagination)
def script_list(request, code: str, filters: Query[ScriptFilters]):
    """The centre's scripts (话术), by kind; ``active=true`` for those agents see (CS-11)."""
    return selectors.script_list(
        user=request.user,
        centre=centre_of(request, code),
        kind=filters.kind or "",
        active=filters.active,
    )


@router.get(f"{BASE}/{{pk}}", response=ScriptDetailOut, operation_id="service_script_get")
def script_get(request, code: str, pk: Id):
    """One script with every revision of its text, newest first (CS-11)."""
    return _get(request, code, pk)


@router.post(BASE, response={201: ScriptDetailOut}, operation_id="service_script_create")
def script_create(request, code: str, payload: ScriptIn):
    """A new script, revision 1 (CS-11; supervisor or administrator)."""
    script = services.script_create(
        actor=request.user,
        source=Source.API,
        centre=centre_of(request, code),
        data=payload.dict(),
    )
    return Status(201, _get(request, code, script.pk))


@router.patch(f"{BASE}/{{pk}}", response=ScriptDetailOut, operation_id="service_script_update")
def script_update(request, code: str, pk: Id, payload: ScriptPatch):
    """Change a script (send the version you read; 409 if stale). A new title or text is the
    next revision; the earlier text stays in ``revisions`` (CS-11)."""
    script = _get(request, code, pk)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    version = changes.pop("version")
    services.script_update(
        actor=request.user, source=Source.API, script_id=script.pk, version=version, changes=changes
    )
    return _get(request, code, pk)


@router.post(
    f"{BASE}/{{pk}}/retire", response=ScriptDetailOut, operation_id="service_script_retire"
)
def script_retire(request, code: str, pk: Id, payload: VersionIn):
    """The script leaves the agents' screens; it is kept with its revisions (CS-11)."""
    script = _get(request, code, pk)
    services.script_retire(
        actor=request.user, source=Source.API, script_id=script.pk, version=payload.version
    )
    return _get(request, code, pk)


@router.post(
    f"{BASE}/{{pk}}/reactivate", response=ScriptDetailOut, operation_id="service_script_reactivate"
)
def script_reactivate(request, code: str, pk: Id, payload: VersionIn):
    """A retired script is shown to agents again (CS-11)."""
    script = _get(request, code, pk)
    services.script_reactivate(
        actor=request.user, source=Source.API, script_id=script.pk, version=payload.version
    )
    return _get(request, code, pk)
