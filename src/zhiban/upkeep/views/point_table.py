"""Upkeep pages: a commissioning sheet's four-remote point table (ACC-2) — the .xlsx upload
with its row-by-row report, the template, and the accepted points as the IEC 104 bridge's
point file."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _

from zhiban.core.actors import Source
from zhiban.core.job_views import start_and_show
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import centre_page, run_service, version_of

from .. import point_table
from ..forms.point_table import PointTableForm
from ..jobs import POINTS_IMPORT
from ..models import SheetState
from ..selectors import point_table as selectors
from ..services import point_table as services

AREA = "upkeep"
C = "c/<str:code>/upkeep"
PREVIEW = 20


def home_context(request, centre) -> dict:
    """What the upkeep home shows of point_table (templates/upkeep/_home_point_table.html)."""
    return {}


def _sheet_url(centre, sheet) -> str:
    """The sheet's own page (its checking), or the area's home where it is not there."""
    try:
        return reverse("upkeep:sheet_detail", args=[centre.code, sheet.pk])
    except NoReverseMatch:
        return reverse("upkeep:home", args=[centre.code])


@centre_page(AREA)
def point_table_import(request, centre, pk):
    """Upload the sheet's point table: every problem listed by row and column, nothing written
    if any row is bad (ACC-2); a good table replaces the sheet's points. A file larger than
    IMPORT_INLINE_BYTES is imported as a job with its progress and its report on the job's
    page (issue 15) — once the sheet is found still being prepared and at the version read,
    else refused here as an inline import is (409)."""
    sheet = selectors.commissioning_sheet_get(user=request.user, centre=centre, pk=pk)
    form = PointTableForm(
        request.POST or None,
        request.FILES or None,
        centre=centre,
        initial={"version": sheet.version},
    )
    status, problems = 200, []
    upload = request.FILES.get("file")
    if request.method == "POST" and upload and upload.size > settings.IMPORT_INLINE_BYTES:
        checked, status = run_service(form, lambda: _check(request, sheet))
        if checked is not None:
            return start_and_show(
                request,
                centre,
                kind=POINTS_IMPORT,
                title=f"{_('Import the point table')} · {sheet.number} · {upload.name}",
                params={"sheet": sheet.pk, "version": checked.version, "file_name": upload.name},
                upload=upload,
            )
    elif request.method == "POST":
        done, status = run_service(form, lambda: _import(request, sheet, form))
        if done is not None:
            messages.success(
                request,
                _("%(count)s points imported (ACC-2).") % {"count": done.points},
            )
            return redirect(reverse("upkeep:point_table_import", args=[centre.code, sheet.pk]))
        problems = getattr(form, "problems", [])
    counts = selectors.point_counts(sheet)
    return render(
        request,
        "upkeep/point_table_import.html",
        {
            "sheet": sheet,
            "sheet_url": _sheet_url(centre, sheet),
            "form": form,
            "problems": problems,
            "columns": point_table.COLUMNS,
            "counts": counts,
            "in_file": counts["accepted"] - counts["left_out"],
            "preview": selectors.points_preview(sheet, PREVIEW),
            "class_names": point_table.CLASS_NAMES,
            "can_import": sheet.state == SheetState.DRAFT
            and can(request.user, Action.ACCEPTANCE_PREPARE, centre),
        },
        status=status,
    )


def _check(request, sheet):
    return services.points_import_check(
        actor=request.user, sheet_id=sheet.pk, version=version_of(request.POST)
    )


def _import(request, sheet, form):
    try:
        return services.points_import(
            actor=request.user,
            source=Source.WEB,
            sheet_id=sheet.pk,
            version=version_of(request.POST),
            file=request.FILES.get("file"),
        )
    except point_table.PointTableRefused as refusal:
        form.problems = refusal.rows
        raise


@centre_page(AREA)
def point_table_template(request, centre):
    """The point table to fill in (ACC-2)."""
    return HttpResponse(
        point_table.template(),
        content_type=point_table.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{point_table.TEMPLATE_NAME}"'},
    )


@centre_page(AREA)
def point_table_csv(request, centre, pk):
    """The accepted points as the IEC 104 bridge's point file (ACC-2)."""
    sheet = selectors.commissioning_sheet_get(user=request.user, centre=centre, pk=pk)
    text, left_out = point_table.bridge_csv(selectors.accepted_points(sheet))
    return HttpResponse(
        text.encode("utf-8"),
        content_type=point_table.CSV,
        headers={
            "Content-Disposition": f'attachment; filename="{point_table.bridge_file_name(sheet)}"',
            "X-Zhiban-Left-Out": str(left_out),
        },
    )


# this sub-domain's pages, added to upkeep/urls.py
URLS: list = [
    path(
        f"{C}/acceptance/point-table-template.xlsx",
        point_table_template,
        name="point_table_template",
    ),
    path(f"{C}/acceptance/<int:pk>/import/", point_table_import, name="point_table_import"),
    path(f"{C}/acceptance/<int:pk>/iec104-points.csv", point_table_csv, name="point_table_csv"),
]
