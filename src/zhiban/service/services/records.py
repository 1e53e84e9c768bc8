"""The monthly customer records from the shops (CS-10): a shop's .xlsx imported whole or not
at all, and the regional manager's spot checks of an import.

The import checks every row first (``records_sheet.read``): one bad row and nothing is
written, every problem listed by row and column. Then, in one transaction, the customers
are created or updated in bulk (matched by phone within the centre; an empty optional cell
leaves the stored value as it is), the ``CustomerImport`` records the counts and whether it
came after the due day (``service.records_due_day`` of its month, in the centre's zone), and
one audit event on the import names the file, the shop, the counts and, for every customer
it changed, each field before and after (an event per row would cost about 3 ms each, half
a minute for 10,000 rows). The customers it brought stay listed on it, so its spot checks
pick from them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import InvalidInput, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import ANY_VERSION, locked, validated

from .. import records_sheet
from ..forms.records import CustomerImportForm, SpotCheckForm
from ..models import Customer, CustomerImport, CustomerType, SpotCheck
from ..selectors.records import is_late

RULE = "CS-10"
CHUNK = 900  # phone numbers per query (well below SQLite's bound on parameters)
WRITE_BATCH = 500  # customers per upsert, the rows written told to a job's progress after each
UPDATED_FIELDS = [
    "name",
    "phone_kind",
    "address",
    "region",
    "customer_type",
    "is_member",
    "shop",
    "version",
    "updated_at",
]
SET_HERE = {"version", "updated_at"}  # the next version; the time of the write (auto_now)


def _existing(centre, phones: list[str]) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    for start in range(0, len(phones), CHUNK):
        chunk = phones[start : start + CHUNK]
        found.update((c.phone, c) for c in Customer.objects.filter(centre=centre, phone__in=chunk))
    return found


def _ids(centre, phones: list[str]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(phones), CHUNK):
        chunk = phones[start : start + CHUNK]
        customers = Customer.objects.filter(centre=centre, phone__in=chunk)
        ids += customers.values_list("pk", flat=True)
    return ids


def _apply(customer: Customer, row: records_sheet.Row, shop: str) -> dict[str, list]:
    """The row's values on a stored customer: what changed, {field: [before, after]}."""
    values = {"name": row.name, "phone_kind": row.phone_kind}
    for field in ("address", "region", "customer_type", "is_member"):
        value = getattr(row, field)
        if value is not None:
            values[field] = value
    if not customer.shop:
        values["shop"] = shop
    changed = {}
    for field, value in values.items():
        if getattr(customer, field) != value:
            changed[field] = [getattr(customer, field), value]
            setattr(customer, field, value)
    return changed


def _write(
    centre, rows: list[records_sheet.Row], shop: str, progress=None
) -> tuple[list[int], int, list]:
    """Create and update the rows' customers in bulk (one upsert on the centre and phone,
    fast on SQLite and PostgreSQL alike), WRITE_BATCH rows at a time: (their ids, how many
    created, what changed in each customer updated). ``progress``, if given, hears the rows
    written after each batch (issue 15)."""
    existing = _existing(centre, [row.phone for row in rows])
    created, updated = 0, []
    if progress is not None:
        progress(0, len(rows), _("Rows written"))
    for start in range(0, len(rows), WRITE_BATCH):
        written = []
        for row in rows[start : start + WRITE_BATCH]:
            customer = existing.get(row.phone)
            if customer is None:
                created += 1
                written.append(
                    Customer(
                        centre=centre,
                        name=row.name,
                        phone=row.phone,
                        phone_kind=row.phone_kind,
                        address=row.address or "",
                        region=row.region or "",
                        customer_type=row.customer_type or CustomerType.RETAIL,
                        is_member=bool(row.is_member),
                        shop=shop,
                    )
                )
            elif changes := _apply(customer, row, shop):
                updated.append({"customer": customer.pk, "phone": customer.phone, **changes})
                written.append(
                    Customer(
                        centre=centre,
                        phone=customer.phone,
                        version=customer.version + 1,
                        **{f: getattr(customer, f) for f in UPDATED_FIELDS if f not in SET_HERE},
                    )
                )
        Customer.objects.bulk_create(
            written,
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=["centre", "phone"],
            update_fields=UPDATED_FIELDS,
        )
        if progress is not None:
            progress(min(start + WRITE_BATCH, len(rows)), len(rows))
    return _ids(centre, [row.phone for row in rows]), created, updated


def customer_import(*, actor, source, centre, data, upload, progress=None) -> CustomerImport:
    """Import a shop's customer records of a month (CS-10): every row checked first, then all
    written or, if any row is bad, nothing (422 with ``rows``: row, column, message). The
    sheet is read and checked before the transaction opens, so the database is not held
    while a big file is parsed. ``progress(done, total, message="")``, if given, hears the
    rows checked, then the rows written (a job's progress bar, issue 15)."""
    require(actor, Action.SERVICE_RECORDS, centre)
    form = validated(CustomerImportForm, data, files={"file": upload}, centre=centre)
    rows = records_sheet.read(form.cleaned_data["file"], progress=progress)
    return _import(
        actor=actor, source=source, centre=centre, form=form, rows=rows, progress=progress
    )


@transaction.atomic
def _import(*, actor, source, centre, form, rows, progress=None) -> CustomerImport:
    month, shop = form.cleaned_data["month"], form.cleaned_data["shop"]
    ids, created, changes = _write(centre, rows, shop, progress)
    now = timezone.now()
    batch = CustomerImport.objects.create(
        centre=centre,
        shop=shop,
        month=month,
        file_name=(getattr(form.cleaned_data["file"], "name", "") or "records.xlsx")[:200],
        rows=len(rows),
        created=created,
        updated=len(changes),
        late=is_late(centre, month, now),
        imported_by=actor,
        at=now,
    )
    through = CustomerImport.customers.through
    through.objects.bulk_create(
        [through(customerimport_id=batch.pk, customer_id=pk) for pk in ids], batch_size=1000
    )
    audit.record(
        actor=actor,
        source=source,
        verb="customer_import.create",
        obj=batch,
        after={**audit.snapshot(batch), "changed_customers": changes},
        reason=_("Imported from %(file)s") % {"file": batch.file_name},
    )
    live.refresh_on_commit(centre, "service")
    return batch


@transaction.atomic
def spot_check_record(*, actor, source, import_id, data) -> SpotCheck:
    """The regional manager's check of one customer of an import (CS-10): one check per
    customer and import; a second is refused (409)."""
    batch = locked(CustomerImport.objects.select_related("centre"), import_id, ANY_VERSION)
    require(actor, Action.SERVICE_RECORDS, batch.centre)
    form = validated(SpotCheckForm, data)
    customer_id = form.cleaned_data["customer"]
    customer = batch.customers.filter(pk=customer_id).first()
    if customer is None:
        message = _("This customer is not one of the import's records (CS-10).")
        raise InvalidInput(fields={"customer": [message]}, rule=RULE)
    if SpotCheck.objects.filter(batch=batch, customer=customer).exists():
        raise _checked_already(customer)
    try:
        with transaction.atomic():
            check = SpotCheck.objects.create(
                batch=batch,
                customer=customer,
                correct=form.cleaned_data["correct"],
                note=form.cleaned_data["note"].strip(),
                by=actor,
                at=timezone.now(),
            )
    except IntegrityError:  # checked at the same moment by someone else
        raise _checked_already(customer) from None
    audit.record(
        actor=actor,
        source=source,
        verb="spot_check.create",
        obj=check,
        centre=batch.centre,
        after=audit.snapshot(check),
    )
    live.refresh_on_commit(batch.centre, "service")
    return check


def _checked_already(customer) -> Refused:
    return Refused(
        _("%(customer)s has been spot-checked in this import already (CS-10).")
        % {"customer": customer.name},
        code="checked_already",
        rule=RULE,
    )
