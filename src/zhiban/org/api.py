"""The organisation API (ORG-1 … ORG-3): centres and their settings, teams, sites,
equipment, people, memberships, .xlsx import and personal API tokens."""

from datetime import datetime
from typing import Annotated

from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import Id, Pagination, Text, add_crud, centre_of
from zhiban.core.permissions import Action
from zhiban.core.scoping import require_platform_admin
from zhiban.org.centre_settings import SETTINGS

from . import importing, marks, selectors, services
from .resources import EQUIPMENT, MEMBERSHIPS, PEOPLE, SITES, TEAMS

router = Router()
Code = str


# --- centres --------------------------------------------------------------------------------


class CentreOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    time_zone: str
    address: str
    phone: str
    active: bool
    version: int
    settings: dict[str, int | str]

    @staticmethod
    def resolve_settings(obj) -> dict:
        return {s.key: obj.setting(s.key) for s in SETTINGS}


class CentreIn(Schema):
    code: Text
    name: Text
    kind: Text
    time_zone: Text = "Asia/Shanghai"
    address: Text = ""
    phone: Text = ""
    active: bool = True


class CentrePatch(Schema):
    version: Id
    code: Text | None = None
    name: Text | None = None
    kind: Text | None = None
    time_zone: Text | None = None
    address: Text | None = None
    phone: Text | None = None
    active: bool | None = None


class SettingsPatch(Schema):
    """Any of the documented settings (see GET /centres/{code}); null restores the default."""

    version: Id
    values: dict[str, int | str | None]


@router.get("/centres", response=list[CentreOut], tags=["centres"], operation_id="centre_list")
@paginate(Pagination)
def centre_list(request):
    return selectors.centre_list(user=request.user)


@router.post("/centres", response={201: CentreOut}, tags=["centres"], operation_id="centre_create")
def centre_create(request, payload: CentreIn):
    """ORG-1: open a centre (platform administrators only)."""
    require_platform_admin(request.user)
    return Status(
        201, services.centre_create(actor=request.user, source=Source.API, data=payload.dict())
    )


@router.get("/centres/{code}", response=CentreOut, tags=["centres"], operation_id="centre_get")
def centre_get(request, code: Code):
    return centre_of(request, code)


@router.patch("/centres/{code}", response=CentreOut, tags=["centres"], operation_id="centre_update")
def centre_update(request, code: Code, payload: CentrePatch):
    centre = centre_of(request, code)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return services.centre_update(
        actor=request.user, source=Source.API, centre_id=centre.pk, version=version, changes=changes
    )


@router.patch(
    "/centres/{code}/settings",
    response=CentreOut,
    tags=["centres"],
    operation_id="centre_settings_update",
)
def centre_settings_update(request, code: Code, payload: SettingsPatch):
    centre = centre_of(request, code, Action.ORG_VIEW)
    return services.centre_settings_update(
        actor=request.user,
        source=Source.API,
        centre_id=centre.pk,
        version=payload.version,
        changes=payload.values,
    )


# --- teams, sites, equipment ----------------------------------------------------------------


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    phone: str
    sites: list[int]
    active: bool
    version: int

    @staticmethod
    def resolve_sites(obj) -> list[int]:
        return sorted(s.pk for s in obj.sites.all())


class TeamIn(Schema):
    name: Text
    kind: Text
    phone: Text = ""
    sites: list[Id] = []
    active: bool = True


class TeamPatch(Schema):
    version: Id
    name: Text | None = None
    kind: Text | None = None
    phone: Text | None = None
    sites: list[Id] | None = None
    active: bool | None = None


class SiteOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    voltage_level: str
    parent_id: int | None
    address: str
    depth: int
    active: bool
    version: int


class SiteIn(Schema):
    code: Text
    name: Text
    kind: Text
    voltage_level: Text = ""
    parent: Id | None = None
    address: Text = ""
    active: bool = True


class SitePatch(Schema):
    version: Id
    code: Text | None = None
    name: Text | None = None
    kind: Text | None = None
    voltage_level: Text | None = None
    parent: Id | None = None
    address: Text | None = None
    active: bool | None = None


class EquipmentOut(Schema):
    id: int
    site_id: int
    parent_id: int | None
    kind: str
    name: str
    dispatch_number: str
    double_name: str
    voltage_level: str
    model_number: str
    depth: int
    active: bool
    marks: str = Field(description="what other capabilities mark, e.g. 检修 (WORK-3)")
    version: int

    @staticmethod
    def resolve_marks(obj) -> str:
        return marks.labels(obj)


class EquipmentIn(Schema):
    site: Id
    parent: Id | None = None
    kind: Text
    name: Text
    dispatch_number: Text = ""
    voltage_level: Text = ""
    model_number: Text = ""
    active: bool = True


class EquipmentPatch(Schema):
    version: Id
    site: Id | None = None
    parent: Id | None = None
    kind: Text | None = None
    name: Text | None = None
    dispatch_number: Text | None = None
    voltage_level: Text | None = None
    model_number: Text | None = None
    active: bool | None = None


add_crud(
    router, TEAMS, path="teams", out=TeamOut, create_in=TeamIn, patch_in=TeamPatch, tag="teams"
)
add_crud(
    router, SITES, path="sites", out=SiteOut, create_in=SiteIn, patch_in=SitePatch, tag="sites"
)
add_crud(
    router,
    EQUIPMENT,
    path="equipment",
    out=EquipmentOut,
    create_in=EquipmentIn,
    patch_in=EquipmentPatch,
    tag="equipment",
)


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


@router.post(
    "/centres/{code}/import/{kind}",
    response=ImportOut,
    tags=["import"],
    operation_id="import_sheet",
)
def import_sheet(request, code: Code, kind: str, file: File[UploadedFile]):
    """Import sites or equipment from .xlsx (kind: sites | equipment). Any bad row → 422 with
    ``rows`` (row, column, message) and nothing written."""
    centre = centre_of(request, code)
    return importing.run(kind, actor=request.user, source=Source.API, centre=centre, upload=file)


# --- people and memberships -----------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    person_id: int
    person_name: str
    team_id: int | None
    role: str
    post: str
    active: bool
    version: int

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class PersonOut(Schema):
    id: int
    username: str
    name: str
    phone: str
    employee_no: str
    email: str
    language: str
    is_active: bool
    version: int
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj, context) -> list:
        """The person's roles in the centre of the request (not in other centres)."""
        if hasattr(obj, "centre_memberships"):
            return obj.centre_memberships
        return list(
            obj.memberships.filter(centre=context["request"].centre).select_related("person")
        )


class PersonIn(Schema):
    username: Text
    name: Text
    password: str
    role: Text
    team: Id | None = None
    post: Text = ""
    phone: Text = ""
    employee_no: Text = ""
    email: Text = ""
    language: Text = "zh-hans"
    is_active: bool = True


class PersonPatch(Schema):
    version: Id
    username: Text | None = None
    name: Text | None = None
    phone: Text | None = None
    employee_no: Text | None = None
    email: Text | None = None
    language: Text | None = None
    is_active: bool | None = None


class MembershipIn(Schema):
    person: Id
    team: Id | None = None
    role: Text
    post: Text = ""
    active: bool = True


class MembershipPatch(Schema):
    version: Id
    team: Id | None = None
    role: Text | None = None
    post: Text | None = None
    active: bool | None = None


add_crud(
    router,
    PEOPLE,
    path="people",
    out=PersonOut,
    create_in=PersonIn,
    patch_in=PersonPatch,
    tag="people",
)
add_crud(
    router,
    MEMBERSHIPS,
    path="memberships",
    out=MembershipOut,
    create_in=MembershipIn,
    patch_in=MembershipPatch,
    tag="memberships",
)


# --- personal API tokens --------------------------------------------------------------------


class TokenIn(Schema):
    name: Text
    # codes of the alarm sources the token may send events for (INC-1, ORG-3)
    sources: list[Annotated[str, Field(max_length=40)]] = Field([], max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    sources: list[str]

    @staticmethod
    def resolve_sources(obj) -> list[str]:
        return sorted(s.code for s in obj.sources.all())


class NewTokenOut(TokenOut):
    token: str


@router.get("/tokens", response=list[TokenOut], tags=["me"], operation_id="token_list")
def token_list(request):
    return list(selectors.api_token_list(user=request.user))


@router.post("/tokens", response={201: NewTokenOut}, tags=["me"], operation_id="token_create")
def token_create(request, payload: TokenIn):
    """A personal API token; the value is shown in this answer only. A gateway's token names
    the alarm sources it may send events for (INC-1, ORG-3)."""
    token, raw = services.api_token_create(
        actor=request.user, source=Source.API, name=payload.name, sources=payload.sources
    )
    token.token = raw
    return Status(201, token)


@router.post("/tokens/{pk}/revoke", response=TokenOut, tags=["me"], operation_id="token_revoke")
def token_revoke(request, pk: Id):
    return services.api_token_revoke(actor=request.user, source=Source.API, token_id=pk)
