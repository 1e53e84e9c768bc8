"""Monthly customer records pages (CS-10): a month's imports per shop with the shops missing
or late, the .xlsx upload with its row-by-row report, the template, and one import with its
spot checks, the sample offered and a search of its customers."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.job_views import start_and_show
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline_of
from zhiban.core.web import back, centre_page, run_service

from .. import records_sheet
from ..forms.records import CustomerImportForm, RecordsMonthForm, SpotCheckForm
from ..jobs import RECORDS_IMPORT
from ..selectors import records as selectors
from ..services import records as services

AREA = "service"
FOUND_AT_MOST = 20


@centre_page(AREA)
def records(request, centre):
    """The month's imports per shop, and the shops still missing (late after the due day)."""
    form = RecordsMonthForm(request.GET or None, centre=centre)
    month, status = timezone.localdate(timezone=centre.tz).replace(day=1), 200
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"]
    elif form.is_bound:
        status = 422
    month_records = selectors.month_records(user=request.user, centre=centre, month=month)
    return render(
        request,
        "service/records.html",
        {
            "form": form,
            "records": month_records,
            "rows": [(i, selectors.checked_share(i)) for i in month_records.imports],
            "can_import": can(request.user, Action.SERVICE_RECORDS, centre),
        },
        status=status,
    )


@centre_page(AREA, Action.SERVICE_RECORDS)
def records_import(request, centre):
    """Upload a shop's sheet: every problem listed by row and column, nothing written if any
    row is bad (CS-10); a good sheet leads to its import's page. A file larger than
    IMPORT_INLINE_BYTES is imported as a job with its progress and its report on the job's
    page (issue 15), once the form's month and shop are found good (else 422 here)."""
    form = CustomerImportForm(request.POST or None, request.FILES or None, centre=centre)
    status, problems = 200, []
    if request.method == "POST" and not form.is_valid():
        status = 422
    elif request.method == "POST" and form.cleaned_data["file"].size > settings.IMPORT_INLINE_BYTES:
        upload = form.cleaned_data["file"]
        month, shop = form.cleaned_data["month"], form.cleaned_data["shop"]
        return start_and_show(
            request,
            centre,
            kind=RECORDS_IMPORT,
            title=f"{records_sheet.TITLE} · {shop} · {month:%Y-%m}",
            params={"month": f"{month:%Y-%m}", "shop": shop, "file_name": upload.name},
            upload=upload,
        )
    elif request.method == "POST":
        batch, status = run_service(
            form,
            lambda: _import(request, centre, form),
        )
        if batch is not None:
            return redirect(reverse("service:import_detail", args=[centre.code, batch.pk]))
        problems = getattr(form, "problems", [])
    return render(
        request,
        "service/records_import.html",
        {"form": form, "problems": problems, "columns": records_sheet.COLUMNS},
        status=status,
    )


def _import(request, centre, form):
    try:
        return services.customer_import(
            actor=request.user,
            source=Source.WEB,
            centre=centre,
            data=request.POST,
            upload=request.FILES.get("file"),
        )
    except records_sheet.RecordsRefused as refusal:
        form.problems = refusal.rows
        raise


@centre_page(AREA)
def records_template(request, centre):
    return HttpResponse(
        records_sheet.template(),
        content_type=records_sheet.XLSX,
        headers={"Content-Disposition": 'attachment; filename="zhiban-customer-records.xlsx"'},
    )


def _import_page(request, centre, pk, *, bound=None, status=200):
    """The import's page; ``bound`` = (customer id, form) re-shows a refused check."""
    batch = selectors.import_get(user=request.user, centre=centre, pk=pk)
    can_check = can(request.user, Action.SERVICE_RECORDS, centre)
    bound_id, bound_form = bound or (None, None)

    def check_form(customer):
        if customer.pk == bound_id:
            return bound_form
        return SpotCheckForm(initial={"customer": customer.pk}, auto_id=f"id_{customer.pk}_%s")

    q = request.GET.get("q", "")[:60]
    found = list(selectors.import_customers(batch, q)[:FOUND_AT_MOST]) if q else []
    checked = {c.customer_id for c in batch.spot_checks.all()}
    sample = selectors.spot_check_sample(batch)
    refused_elsewhere = bound_form if bound_id not in {c.pk for c in sample + found} else None
    return render(
        request,
        "service/import.html",
        {
            "batch": batch,
            "share": selectors.checked_share(batch),
            "sample_size": selectors.sample_size(batch),
            "sample": [(c, check_form(c) if can_check else None) for c in sample],
            "q": q,
            "found": [
                (c, check_form(c) if can_check and c.pk not in checked else None) for c in found
            ],
            "checked": checked,
            "refused": refused_elsewhere,
            "can_check": can_check,
            "events": timeline_of(
                user=request.user, centre=centre, objects=[batch, *batch.spot_checks.all()]
            )[:100],
        },
        status=status,
    )


@centre_page(AREA)
def import_detail(request, centre, pk):
    return _import_page(request, centre, pk)


@centre_page(AREA, Action.SERVICE_RECORDS)
@require_POST
def spot_check(request, centre, pk):
    """Record one spot check; a refusal comes back on the page beside the customer's form."""
    batch = selectors.import_get(user=request.user, centre=centre, pk=pk)
    customer_id = request.POST.get("customer", "")
    customer = int(customer_id) if customer_id.isdigit() else None
    form = SpotCheckForm(request.POST, auto_id=f"id_{customer}_%s")
    check, status = run_service(
        form,
        lambda: services.spot_check_record(
            actor=request.user, source=Source.WEB, import_id=batch.pk, data=request.POST
        ),
    )
    if check is not None:
        return back(request, _detail(centre, batch.pk))
    for message in form.errors.pop("customer", []):  # a hidden field: said above the form
        form.add_error(None, message)
    return _import_page(request, centre, batch.pk, bound=(customer, form), status=status)


def _detail(centre, pk) -> str:
    return reverse("service:import_detail", args=[centre.code, pk])
