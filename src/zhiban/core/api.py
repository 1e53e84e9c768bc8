"""API plumbing every app's router shares, and the core's own endpoints.

- Errors are JSON ``{"code", "message", "rule", "fields"}``: 404 out of scope (ORG-3), 409 for a
  conflict or a rule refusal, 422 with per-field messages for bad input. Never a 500.
- Authentication, throttling and the JSON parser: ``api_auth.py`` (401, 415, 429).
- ``add_crud``: list (filters, paging), .xlsx export, detail, create and partial update for a
  ``Resource``, the same declaration the web pages use.
"""

from datetime import datetime
from typing import Annotated, Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase, paginate
from pydantic import create_model

from . import scoping, selectors, services, targets, validation_messages
from .actors import Source
from .api_auth import (
    UnsupportedMediaType,
    too_many_requests,
    unauthenticated,
    unsupported_media_type,
)
from .errors import DomainError, InvalidInput, MissingVersion, NotFound
from .exports import xlsx_response
from .filters import MAX_ID, AuditFilter
from .permissions import Action, Role
from .permissions import table as permission_table
from .resources import DEADLINES, PHONE, ROBOTS
from .scoping import centres_for, is_platform_admin

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, Field(max_length=4000)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- errors ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error answer (the OpenAPI document's, core/openapi.py): a machine code, a message
    in the reader's language, the rule refusing (or null) and a message per field."""

    code: str
    message: str
    rule: str | None
    fields: dict[str, list[str]]


def _field_name(loc) -> str:
    parts = [
        str(p) for p in loc if p not in ("body", "payload", "query", "path", "filters", "form")
    ]
    return ".".join(parts) or "body"


def install_error_handlers(api) -> None:
    def domain_error(request, exc: DomainError):
        body = {"code": exc.code, "message": exc.text(), "rule": exc.rule, "fields": exc.fields}
        body.update(getattr(exc, "extra", {}))
        if hasattr(exc, "rows"):
            body["rows"] = exc.rows
        return api.create_response(request, body, status=exc.status)

    def validation_error(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        refusal = InvalidInput()
        for error in exc.errors:
            name = _field_name(error.get("loc", ()))
            if name == "version" and error.get("type") == "missing":
                refusal = MissingVersion()  # a change without the version it read (DESIGN-1)
                continue
            fields.setdefault(name, []).append(validation_messages.message(error))
        return api.create_response(
            request,
            {
                "code": refusal.code,
                "message": refusal.text(),
                "rule": refusal.rule,
                "fields": refusal.fields | fields,
            },
            status=422,
        )

    def not_found(request, exc):
        return api.create_response(
            request,
            {"code": "not_found", "message": NotFound().text(), "rule": None, "fields": {}},
            status=404,
        )

    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, UnsupportedMediaType):  # ninja wraps it in a 400
            return api.create_response(request, unsupported_media_type(), status=415)
        if exc.status_code == 429:
            return api.create_response(request, too_many_requests(), status=429)
        if exc.status_code == 400:  # an unreadable body is bad input like any other
            return api.create_response(
                request,
                {
                    "code": "invalid",
                    "message": str(InvalidInput().message),
                    "rule": None,
                    "fields": {"body": [_("The body cannot be read as JSON.")]},
                },
                status=422,
            )
        if exc.status_code == 401:
            return api.create_response(request, unauthenticated(request), status=401)
        code = {403: "forbidden"}.get(exc.status_code, f"http_{exc.status_code}")
        return api.create_response(
            request,
            {"code": code, "message": exc.message, "rule": None, "fields": {}},
            status=exc.status_code,
        )

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(NinjaValidationError, validation_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, http_error)
    api.add_exception_handler(HttpError, http_error)


# --- shared endpoint helpers ----------------------------------------------------------------


class VersionIn(Schema):  # a change that needs only the version read (DESIGN-1)
    version: Id


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class Pagination(PaginationBase):
    """limit/offset paging with bounds: {"items": […], "count": n, "more": bool}. A text search
    (``q``) is not counted — counting every match costs more than the page (see
    docs/performance.md); ``count`` is null and ``more`` says whether another page exists.
    ``CAP`` counts at most that many rows: past it ``count`` is null too."""

    Input = PageIn
    items_attribute = "items"
    CAP: int | None = None

    class Output(Schema):
        items: list[Any]
        count: int | None
        more: bool

    def paginate_queryset(self, queryset, pagination: PageIn, **params):
        start, stop = pagination.offset, pagination.offset + pagination.limit
        count = None
        if not getattr(params.get("filters"), "q", None):
            if self.CAP is None:
                count = self._items_count(queryset)
            else:
                count = queryset.order_by()[: self.CAP + 1].count()
                count = count if count <= self.CAP else None
        if count is not None:
            return {"items": queryset[start:stop], "count": count, "more": stop < count}
        rows = list(queryset[start : stop + 1])
        return {
            "items": rows[: pagination.limit],
            "count": None,
            "more": len(rows) > pagination.limit,
        }


class CappedPagination(Pagination):
    """Paging for a list that grows without bound (a hotline's cases: a million and more),
    counted up to ``CAP`` rows — the exact COUNT(*) of a centre's 1.35 million cases took
    0.4 s on SQLite and 2 s with a category filter, many times the page itself
    (docs/performance.md, customer service)."""

    CAP = 1000


def centre_of(request, code: str, action: str = Action.ORG_VIEW):
    """The centre in the caller's scope (404 otherwise, ORG-3), in its own time zone."""
    centre = scoping.centre_get(user=request.user, code=code, action=action)
    timezone.activate(centre.tz)
    request.centre = centre
    return centre


def filter_schema(filterset_class, name: str):
    """A query-parameter schema from a FilterSet, so the filters appear in the OpenAPI."""
    fields = {
        key: (str | None, Field(None, max_length=100)) for key in filterset_class.base_filters
    }
    return create_model(name, __base__=Schema, **fields)


def filtered(resource, request, centre, filters: Schema):
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = resource.filterset(
        data, queryset=resource.list(user=request.user, centre=centre), request=request
    )
    if not filterset.is_valid():
        raise InvalidInput(fields={k: [str(e) for e in v] for k, v in filterset.errors.items()})
    return filterset.qs


def add_crud(
    router: Router,
    resource,
    *,
    path: str,
    out,
    create_in=None,
    patch_in=None,
    tag: str,
    pagination: type[Pagination] = Pagination,
) -> None:
    """List, export, detail, create and partial update of a Resource under
    /centres/{code}/<path>. A PATCH must carry the ``version`` it read (409 if stale). A list
    that grows without bound pages with ``CappedPagination``."""
    r = resource
    Filters = filter_schema(r.filterset, f"{r.key.title()}Filters")
    base = "/centres/{code}/" + path

    @router.get(
        base,
        response=list[out],
        tags=[tag],
        operation_id=f"{r.key}_list",
        summary=f"List {r.key} records",
    )
    @paginate(pagination)
    def list_records(request, code: str, filters: Query[Filters]):  # type: ignore[valid-type]
        return filtered(r, request, centre_of(request, code), filters)

    @router.get(
        base + ".xlsx",
        tags=[tag],
        operation_id=f"{r.key}_export",
        summary=f"Export {r.key} records to .xlsx",
        openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
    )
    def export_records(request, code: str, filters: Query[Filters]):  # type: ignore[valid-type]
        centre = centre_of(request, code)
        return xlsx_response(
            r.table,
            filtered(r, request, centre, filters),
            str(r.label_plural),
            f"{centre.code}-{r.key}",
        )

    @router.get(
        base + "/{pk}",
        response=out,
        tags=[tag],
        operation_id=f"{r.key}_get",
        summary=f"One {r.key} record",
    )
    def get_record(request, code: str, pk: Id):
        return r.get(user=request.user, centre=centre_of(request, code), pk=pk)

    if create_in is not None:

        @router.post(
            base,
            response={201: out},
            tags=[tag],
            operation_id=f"{r.key}_create",
            summary=f"Create a {r.key} record",
        )
        def create_record(request, code: str, payload: create_in):  # type: ignore[valid-type]
            centre = centre_of(request, code)
            return Status(
                201,
                r.create(actor=request.user, source=Source.API, centre=centre, data=payload.dict()),
            )

    if patch_in is not None:

        @router.patch(
            base + "/{pk}",
            response=out,
            tags=[tag],
            operation_id=f"{r.key}_update",
            summary=f"Change a {r.key} record (send the version you read)",
        )
        def update_record(request, code: str, pk: Id, payload: patch_in):  # type: ignore
            centre = centre_of(request, code)
            obj = r.get(user=request.user, centre=centre, pk=pk)
            changes = payload.dict(exclude_unset=True)
            version = changes.pop("version")
            return r.update(
                actor=request.user,
                source=Source.API,
                centre=centre,
                obj=obj,
                version=version,
                changes=changes,
            )


# --- core endpoints -------------------------------------------------------------------------

router = Router()


class MeOut(Schema):
    id: int
    username: str
    name: str
    language: str
    platform_admin: bool
    centres: list[dict]


@router.get("/me", response=MeOut, tags=["me"], operation_id="me")
def me(request):
    from .scoping import grants

    roles = grants(request.user)
    return {
        "id": request.user.pk,
        "username": request.user.username,
        "name": request.user.name,
        "language": request.user.language,
        "platform_admin": is_platform_admin(request.user),
        "centres": [
            {"code": c.code, "name": c.name, "kind": c.kind, "roles": sorted(roles.get(c.pk, ()))}
            for c in centres_for(request.user).order_by("name")
        ],
    }


class PermissionsOut(Schema):
    roles: list[str]
    actions: dict[str, list[str]]


@router.get("/permissions", response=PermissionsOut, tags=["me"], operation_id="permissions")
def permissions(request):
    """The one role × action table (ORG-3)."""
    roles = list(Role)
    return {
        "roles": [r.value for r in roles],
        "actions": {
            a.value: [r.value for r, yes in zip(roles, row, strict=True) if yes]
            for a, row in permission_table()
        },
    }


class AuditOut(Schema):
    seq: int
    at: datetime
    actor_id: int | None
    actor_label: str
    source: str
    verb: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None
    reason: str
    request_id: str
    hash: str


AuditFilters = filter_schema(AuditFilter, "AuditFilters")


@router.get(
    "/centres/{code}/audit", response=list[AuditOut], tags=["audit"], operation_id="audit_list"
)
@paginate(Pagination)
def audit_list(request, code: str, filters: Query[AuditFilters]):  # type: ignore[valid-type]
    """The centre's audit trail; with object_type and object_id, one object's timeline."""
    centre = centre_of(request, code, Action.AUDIT_VIEW)
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = AuditFilter(
        data, queryset=selectors.audit_event_list(user=request.user, centre=centre)
    )
    if not filterset.is_valid():
        raise InvalidInput(fields={k: [str(e) for e in v] for k, v in filterset.errors.items()})
    return filterset.qs


class VerifyOut(Schema):
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None
    problem: str


@router.get("/audit/verify", response=VerifyOut, tags=["audit"], operation_id="audit_verify")
def audit_verify(request):
    """Walk the whole hash chain (ORG-4) and name the first broken link; the count and the
    head are those of the person's centres' events unless a platform administrator asks."""
    return selectors.audit_verify(user=request.user).__dict__


class NotificationOut(Schema):
    id: int
    centre_id: int | None
    level: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


@router.get(
    "/notifications",
    response=list[NotificationOut],
    tags=["notifications"],
    operation_id="notification_list",
)
@paginate(Pagination)
def notification_list(request, unread: bool = False):
    notes = selectors.notification_list(user=request.user)
    return notes.filter(read_at=None) if unread else notes


@router.post(
    "/notifications/{pk}/read",
    response=NotificationOut,
    tags=["notifications"],
    operation_id="notification_read",
)
def notification_read(request, pk: Id):
    return services.notification_read(actor=request.user, source=Source.API, notification_id=pk)


class CountOut(Schema):
    count: int


@router.post(
    "/notifications/read-all",
    response=CountOut,
    tags=["notifications"],
    operation_id="notification_read_all",
)
def notification_read_all(request):
    return {"count": services.notification_read_all(actor=request.user, source=Source.API)}


class PhoneContactIn(Schema):
    direction: str
    at: datetime
    our_person: Id
    party_name: Text
    party_person: Id | None = None
    party_phone: Text = ""
    subject: Text
    content: Text = ""
    read_back: Text = ""


class PhoneContactOut(Schema):
    id: int
    number: str
    direction: str
    at: datetime
    our_person_id: int
    party_name: str
    party_person_id: int | None
    party_phone: str
    subject: str
    content: str
    read_back: str
    read_back_confirmed_at: datetime | None
    read_back_confirmed_by_id: int | None
    version: int


class ReadBackIn(Schema):
    version: Id
    read_back: Text


add_crud(
    router,
    PHONE,
    path="phone-contacts",
    out=PhoneContactOut,
    create_in=PhoneContactIn,
    tag="phone contacts",
)


@router.post(
    "/centres/{code}/phone-contacts/{pk}/read-back",
    response=PhoneContactOut,
    tags=["phone contacts"],
    operation_id="phone_contact_read_back",
)
def phone_contact_read_back(request, code: str, pk: Id, payload: ReadBackIn):
    """Record the receiving side's read-back (复诵) and who confirmed it."""
    centre = centre_of(request, code)
    contact = selectors.phone_contact_get(user=request.user, centre=centre, pk=pk)
    return services.phone_contact_confirm_read_back(
        actor=request.user,
        source=Source.API,
        contact_id=contact.pk,
        version=payload.version,
        data={"read_back": payload.read_back},
    )


class DeadlineIn(Schema):
    object_type: str = Field(max_length=60)
    object_id: Id
    name: Text
    due_at: datetime
    assignee: Id | None = None


class DeadlineOut(Schema):
    id: int
    object_type: str
    object_id: str
    name: str
    due_at: datetime
    assignee_id: int | None
    state: str
    escalation_level: int
    warned_at: datetime | None
    breached_at: datetime | None
    escalated_at: datetime | None
    met_at: datetime | None
    version: int

    @staticmethod
    def resolve_object_type(obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class DeadlineActIn(Schema):
    version: Id
    reason: Text = ""


add_crud(router, DEADLINES, path="deadlines", out=DeadlineOut, tag="deadlines")


@router.post(
    "/centres/{code}/deadlines",
    response={201: DeadlineOut},
    tags=["deadlines"],
    operation_id="deadline_set",
)
def deadline_set(request, code: str, payload: DeadlineIn):
    """Put a named deadline on a record of the centre (object_type e.g. org.site)."""
    centre = centre_of(request, code)
    target = targets.resolve(
        payload.object_type, user=request.user, centre=centre, pk=payload.object_id
    )
    data = payload.dict(exclude={"object_type", "object_id"})
    return Status(
        201,
        services.deadline_set(
            actor=request.user, source=Source.API, centre=centre, target=target, data=data
        ),
    )


@router.post(
    "/centres/{code}/deadlines/{pk}/meet",
    response=DeadlineOut,
    tags=["deadlines"],
    operation_id="deadline_meet",
)
def deadline_meet(request, code: str, pk: Id, payload: DeadlineActIn):
    centre = centre_of(request, code)
    deadline = selectors.deadline_get(user=request.user, centre=centre, pk=pk)
    return services.deadline_meet(
        actor=request.user,
        source=Source.API,
        deadline_id=deadline.pk,
        version=payload.version,
        reason=payload.reason,
    )


@router.post(
    "/centres/{code}/deadlines/{pk}/cancel",
    response=DeadlineOut,
    tags=["deadlines"],
    operation_id="deadline_cancel",
)
def deadline_cancel(request, code: str, pk: Id, payload: DeadlineActIn):
    centre = centre_of(request, code)
    deadline = selectors.deadline_get(user=request.user, centre=centre, pk=pk)
    return services.deadline_cancel(
        actor=request.user,
        source=Source.API,
        deadline_id=deadline.pk,
        version=payload.version,
        reason=payload.reason,
    )


class ChatRobotIn(Schema):
    name: Text
    channel: str = Field(max_length=10)
    url: str = Field(max_length=500)
    secret: str = Field("", max_length=200)
    min_level: str = Field("warning", max_length=10)
    active: bool = True


class ChatRobotPatch(Schema):
    version: Id
    name: Text | None = None
    channel: str | None = Field(None, max_length=10)
    url: str | None = Field(None, max_length=500)
    secret: str | None = Field(None, max_length=200)
    min_level: str | None = Field(None, max_length=10)
    active: bool | None = None


class ChatRobotOut(Schema):
    id: int
    name: str
    channel: str
    url: str
    min_level: str
    active: bool
    version: int


add_crud(
    router,
    ROBOTS,
    path="chat-robots",
    out=ChatRobotOut,
    create_in=ChatRobotIn,
    patch_in=ChatRobotPatch,
    tag="chat robots",
)
