"""The monthly customer records API (CS-10): a month's imports and missing shops, the .xlsx
import (multipart; any bad row → 422 with ``rows`` and nothing written), the template, one
import with its spot checks and sample, its customers, and recording a spot check."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import XLSX, Id, Pagination, centre_of
from zhiban.core.services import validated

from .. import phones, records_sheet
from ..forms.records import RecordsMonthForm
from ..selectors import records as selectors
from ..services import records as services

router = Router(tags=["service: customer records"])
BASE = "/service/{code}/customer-imports"
Month = Annotated[str, Field(max_length=20, description="YYYY-MM; empty: this month")]


class CustomerImportOut(Schema):
    id: int
    shop: str
    month: date
    file_name: str
    rows: int
    created: int
    updated: int
    late: bool
    imported_by_id: int
    imported_by_name: str
    at: datetime
    spot_checks: int
    checked_percent: float

    @staticmethod
    def resolve_imported_by_name(obj) -> str:
        return obj.imported_by.name

    @staticmethod
    def resolve_spot_checks(obj) -> int:
        return obj.checks

    @staticmethod
    def resolve_checked_percent(obj) -> float:
        return selectors.checked_share(obj)


class ImportedCustomerOut(Schema):
    id: int
    name: str
    phone: str
    phone_shown: str
    region: str

    @staticmethod
    def resolve_phone_shown(obj) -> str:
        return phones.shown(obj.phone)


class SpotCheckOut(Schema):
    id: int
    customer: ImportedCustomerOut
    correct: bool
    note: str
    by_id: int
    by_name: str
    at: datetime

    @staticmethod
    def resolve_by_name(obj) -> str:
        return obj.by.name


class CustomerImportDetailOut(CustomerImportOut):
    sample_size: int
    checks: list[SpotCheckOut] = Field(description="Its spot checks, newest first")
    sample: list[ImportedCustomerOut] = Field(
        description="The random sample offered, not yet checked"
    )

    @staticmethod
    def resolve_sample_size(obj) -> int:
        return selectors.sample_size(obj)

    @staticmethod
    def resolve_checks(obj) -> list:
        return list(obj.spot_checks.all())

    @staticmethod
    def resolve_sample(obj) -> list:
        return selectors.spot_check_sample(obj)


class MissingShopOut(Schema):
    shop: str
    late: bool


class RecordsMonthOut(Schema):
    month: date
    due: date
    past_due: bool
    imports: list[CustomerImportOut]
    missing: list[MissingShopOut] = Field(
        description="Shops with records last month and none this month; late after the due day"
    )


class RecordsMonthIn(Schema):
    month: Month = ""


class CustomerImportFilters(Schema):
    month: Month = ""
    shop: Annotated[str, Field(max_length=60)] = ""


class ImportedCustomerFilters(Schema):
    q: Annotated[str, Field(max_length=60, description="Name or any digits of the phone")] = ""


class SpotCheckIn(Schema):
    customer: Id
    correct: bool
    note: Annotated[str, Field(max_length=300)] = ""


def _month(centre, month: str) -> date:
    return validated(RecordsMonthForm, {"month": month}, centre=centre).cleaned_data["month"]


def _get(request, code: str, pk: int):
    return selectors.import_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.get(
    "/service/{code}/customer-records", response=RecordsMonthOut, operation_id="service_records"
)
def customer_records(request, code: str, query: Query[RecordsMonthIn]):
    """A month's customer records (CS-10): the imports per shop, and the shops still missing
    (late once ``service.records_due_day`` has passed)."""
    centre = centre_of(request, code)
    return selectors.month_records(
        user=request.user, centre=centre, month=_month(centre, query.month)
    )


@router.get(BASE, response=list[CustomerImportOut], operation_id="service_import_list")
@paginate(Pagination)
def import_list(request, code: str, filters: Query[CustomerImportFilters]):
    """The imports, newest month first; by month (YYYY-MM) and shop (CS-10)."""
    centre = centre_of(request, code)
    month = _month(centre, filters.month) if filters.month else None
    return selectors.import_list(user=request.user, centre=centre, month=month, shop=filters.shop)


@router.get(
    f"{BASE}/template.xlsx",
    operation_id="service_import_template",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def import_template(request, code: str):
    """The sheet shops fill in: the columns and an example row (CS-10)."""
    centre_of(request, code)
    return HttpResponse(
        records_sheet.template(),
        content_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="zhiban-customer-records.xlsx"'},
    )


@router.post(BASE, response={201: CustomerImportDetailOut}, operation_id="service_import_create")
def import_create(
    request,
    code: str,
    file: File[UploadedFile | None] = None,
    month: str = Form("", max_length=20, description="YYYY-MM"),
    shop: str = Form("", max_length=60),
):
    """Import a shop's customer records of a month from .xlsx (CS-10). Every row is checked
    first; any bad row → 422 with ``rows`` (row, column, message naming CS-10 or CS-1) and
    nothing written. A month to come or before the centre's window → 422. (The parts are
    optional here so that another centre's code answers 404 before the form says what is
    missing.)"""
    batch = services.customer_import(
        actor=request.user,
        source=Source.API,
        centre=centre_of(request, code),
        data={"month": month, "shop": shop},
        upload=file,
    )
    return Status(201, _get(request, code, batch.pk))


@router.get(f"{BASE}/{{pk}}", response=CustomerImportDetailOut, operation_id="service_import_get")
def import_get(request, code: str, pk: Id):
    """One import with its spot checks, the share checked and the sample offered (CS-10)."""
    return _get(request, code, pk)


@router.get(
    f"{BASE}/{{pk}}/customers",
    response=list[ImportedCustomerOut],
    operation_id="service_import_customers",
)
@paginate(Pagination)
def import_customers(request, code: str, pk: Id, filters: Query[ImportedCustomerFilters]):
    """The customers the import brought, to pick for a spot check (CS-10)."""
    return selectors.import_customers(_get(request, code, pk), filters.q)


@router.post(
    f"{BASE}/{{pk}}/spot-checks",
    response={201: SpotCheckOut},
    operation_id="service_spot_check_create",
)
def spot_check_create(request, code: str, pk: Id, payload: SpotCheckIn):
    """The regional manager's spot check of one customer of the import: correct or not, with
    a note (required when not); once per customer and import, a second → 409 (CS-10)."""
    batch = _get(request, code, pk)
    data = payload.dict()
    data["correct"] = "true" if data["correct"] else "false"
    check = services.spot_check_record(
        actor=request.user, source=Source.API, import_id=batch.pk, data=data
    )
    return Status(201, check)
