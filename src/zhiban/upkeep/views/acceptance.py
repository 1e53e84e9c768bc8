"""Upkeep pages: acceptance sheets (ACC-2 … ACC-4) — the list, a new sheet, the sheet with its
progress, what each side owes and its points table, where each named checker ticks their own
side row by row (htmx; each row updates live on both checkers' screens), the wrong points'
defect or summary list, the signatures of a stage acceptance, the close and the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.errors import Conflict, DomainError, MissingVersion
from zhiban.core.pdf import pdf_response, render_pdf
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import attempt, centre_page, required_version, run_service, submitted

from .. import services
from ..checklists import REQUIRED_PARTIES, is_stage, party_label, side_labels
from ..forms.acceptance import CheckersForm, PointForm, SheetForm, SignForm
from ..models import PointMethod, SheetKind, SheetState
from ..selectors import acceptance as selectors
from ..services.acceptance import (
    CENTRE,
    TEAM,
    missing_parties,
    progress,
    progress_panel,
    sheet_panel,
    side_of,
)

C = "c/<str:code>/upkeep"
AREA = "upkeep"
WEB = Source.WEB
PAGE_SIZE = 100


def _url(name, centre, *args) -> str:
    return reverse(f"upkeep:{name}", args=[centre.code, *args])


def _optional_url(name, centre, *args) -> str:
    """The point table's pages (import, IEC 104 file) come from their own module."""
    try:
        return _url(name, centre, *args)
    except NoReverseMatch:
        return ""


def home_context(request, centre) -> dict:
    """What the upkeep home shows of acceptance: the sheets being checked with their progress
    (templates/upkeep/_home_acceptance.html)."""
    sheets = list(selectors.checking(user=request.user, centre=centre)[:10])
    return {
        "acceptance_checking": [(s, progress(s)) for s in sheets],
        "acceptance_list_url": _url("sheet_list", centre),
    }


# --- list and new ---------------------------------------------------------------------------


@centre_page(AREA)
def sheet_list(request, centre):
    state = request.GET.get("state", "")
    rows = selectors.sheet_list(user=request.user, centre=centre, state=state)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "upkeep/sheet_list.html",
        {
            "page": page,
            "sheets": [(s, progress(s), side_of(s, request.user)) for s in page],
            "state": state,
            "states": SheetState.choices,
            "can_prepare": can(request.user, Action.ACCEPTANCE_PREPARE, centre),
        },
    )


@centre_page(AREA, Action.ACCEPTANCE_PREPARE)
def sheet_create(request, centre):
    """A new sheet (ACC-2, ACC-4); a stage acceptance starts with its default items."""
    if request.method == "POST":
        form = SheetForm(request.POST, centre=centre)
        sheet, status = run_service(
            form,
            lambda: services.sheet_create(
                actor=request.user,
                source=WEB,
                centre=centre,
                data=submitted(SheetForm, request.POST),
            ),
        )
        if sheet is not None:
            return HttpResponseRedirect(_url("sheet_detail", centre, sheet.pk))
    else:
        form, status = SheetForm(centre=centre, initial={"kind": request.GET.get("kind")}), 200
    return render(request, "upkeep/sheet_form.html", {"form": form}, status=status)


# --- the sheet --------------------------------------------------------------------------------


def _sheet_context(request, centre, sheet) -> dict:
    side = side_of(sheet, request.user)
    show = request.GET.get("show", "")
    if show not in selectors.POINT_FILTERS:
        show = ""
    page = Paginator(selectors.points(sheet, show=show, side=side), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    prepare = can(request.user, Action.ACCEPTANCE_PREPARE, centre)
    context = {
        "sheet": sheet,
        "p": progress(sheet),
        "page": page,
        "show": show,
        "filters": [
            ("", _("All")),
            ("mine", _("To do for me")),
            ("open", _("Still owed")),
            ("wrong", _("Found wrong")),
        ],
        "can_prepare": prepare and sheet.state != SheetState.CLOSED,
        "sheet_panel": sheet_panel(sheet.pk),
        "progress_panel": progress_panel(sheet.pk),
        "signatures": list(sheet.signatures.select_related("person")),
        "summary": list(selectors.summary_list(sheet)),
        "defects": list(selectors.defects_raised(sheet)),
        "import_url": _optional_url("point_table_import", centre, sheet.pk),
        "csv_url": _optional_url("point_table_csv", centre, sheet.pk),
    }
    if sheet.state == SheetState.DRAFT and prepare:
        context["checkers_form"] = getattr(request, "checkers_form", None) or CheckersForm(
            centre=centre,
            sheet=sheet,
            initial={
                "centre_checker": sheet.centre_checker_id,
                "team_checker": sheet.team_checker_id,
            },
        )
        context["point_form"] = getattr(request, "point_form", None) or PointForm(centre=centre)
    parties = REQUIRED_PARTIES.get(sheet.kind, ())
    signed = {s.party for s in context["signatures"]}
    unsigned = [p for p in parties if p not in signed]
    if (
        sheet.state == SheetState.CHECKING
        and unsigned
        and can(request.user, Action.ACCEPTANCE_CHECK, centre)
    ):
        context["sign_form"] = getattr(request, "sign_form", None) or SignForm(
            centre=centre, parties=unsigned
        )
    context["parties"] = [(party_label(p), p in signed) for p in parties]
    context["signature_rows"] = [(party_label(s.party), s) for s in context["signatures"]]
    context.update(_row_context(request, sheet, side))
    return context


def _row_context(request, sheet, side) -> dict:
    """What every row needs: the viewer's side, the side labels, whether the viewer raises
    defects (the centre, ACC-3) and the methods."""
    centre_label, team_label = side_labels(sheet.kind)
    raiser = sheet.state != SheetState.CLOSED and (
        side == CENTRE
        or (
            side is None
            and can(request.user, Action.ACCEPTANCE_PREPARE, sheet.centre)
            and not request.user.memberships.filter(
                centre=sheet.centre, active=True, team__isnull=False
            ).exists()
        )
    )
    return {
        "side": side if sheet.state == SheetState.CHECKING else None,
        "my_side": side,
        "centre_label": centre_label,
        "team_label": team_label,
        "stage": is_stage(sheet.kind),
        "raiser": raiser,
        "methods": PointMethod.choices,
        "CENTRE": CENTRE,
        "TEAM": TEAM,
    }


def _detail(request, centre, pk, status=200):
    sheet = selectors.sheet_get(user=request.user, centre=centre, pk=pk)
    return render(
        request, "upkeep/sheet_detail.html", _sheet_context(request, centre, sheet), status=status
    )


@centre_page(AREA)
def sheet_detail(request, centre, pk):
    return _detail(request, centre, pk)


def _row(request, centre, sheet, point_id, status=200, error=""):
    point = selectors.point_get(sheet, point_id)
    context = {
        "sheet": sheet,
        "point": point,
        "error": error,
        **_row_context(request, sheet, side_of(sheet, request.user)),
    }
    # a fragment: without the page shell's context (centres, bell, banners), only its token
    context["csrf_token"] = get_token(request)
    return HttpResponse(render_to_string("upkeep/sheet_point.html", context), status=status)


def _point_and_sheet(request, centre, pk):
    point = selectors.point_in_centre(user=request.user, centre=centre, pk=pk)
    return point.pk, selectors.sheet_get(user=request.user, centre=centre, pk=point.sheet_id)


@centre_page(AREA)
def point_row(request, centre, pk):
    """One row of the points table (a live refresh of it, ACC-2)."""
    point, sheet = _point_and_sheet(request, centre, pk)
    return _row(request, centre, sheet, point)


def _point_action(call, *, with_data=True):
    """A checker's action on one row: htmx gets the row back (with the refusal in it, 409 or
    422), a plain form post goes back to the sheet with the refusal as a message."""

    @centre_page(AREA, Action.ACCEPTANCE_CHECK)
    @require_POST
    def view(request, centre, pk):
        point, sheet = _point_and_sheet(request, centre, pk)
        version = required_version(request)
        kwargs = {"data": request.POST} if with_data else {}

        def act():
            return call(
                actor=request.user,
                source=WEB,
                sheet_id=sheet.pk,
                point_id=point,
                version=version,
                **kwargs,
            )

        if not request.headers.get("HX-Request"):
            attempt(request, act)
            return HttpResponseRedirect(_url("sheet_detail", centre, sheet.pk))
        try:
            act()
        except MissingVersion:
            raise
        except Conflict as error:
            return _row(request, centre, sheet, point, status=409, error=error.text())
        except DomainError as error:
            text = "；".join(m for ms in error.fields.values() for m in ms) or error.text()
            return _row(request, centre, sheet, point, status=error.status, error=text)
        return _row(request, centre, sheet, point)

    return view


point_tick = _point_action(services.point_tick)
point_defect = _point_action(services.point_raise_defect)
point_summarise = _point_action(services.point_summarise, with_data=False)


def _sheet_action(call, action, *, with_data=True):
    @centre_page(AREA, action)
    @require_POST
    def view(request, centre, pk):
        sheet = selectors.sheet_get(user=request.user, centre=centre, pk=pk)
        version = required_version(request)
        kwargs = {"data": request.POST} if with_data else {}
        if attempt(
            request,
            lambda: call(
                actor=request.user, source=WEB, sheet_id=sheet.pk, version=version, **kwargs
            ),
        ):
            messages.success(request, _("Saved."))
        return HttpResponseRedirect(_url("sheet_detail", centre, pk))

    return view


sheet_open = _sheet_action(services.sheet_open, Action.ACCEPTANCE_PREPARE, with_data=False)
sheet_close = _sheet_action(services.sheet_close, Action.ACCEPTANCE_PREPARE)
sheet_sign = _sheet_action(services.sign, Action.ACCEPTANCE_CHECK)


@centre_page(AREA, Action.ACCEPTANCE_PREPARE)
@require_POST
def sheet_checkers(request, centre, pk):
    """ACC-2: the two checkers named; bad choices are shown beside their fields (422)."""
    sheet = selectors.sheet_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    form = CheckersForm(request.POST, centre=centre, sheet=sheet)
    saved, status = run_service(
        form,
        lambda: services.sheet_checkers(
            actor=request.user,
            source=WEB,
            sheet_id=sheet.pk,
            version=version,
            data=submitted(CheckersForm, request.POST),
        ),
    )
    if saved is not None:
        return HttpResponseRedirect(_url("sheet_detail", centre, pk))
    request.checkers_form = form
    return _detail(request, centre, pk, status)


@centre_page(AREA, Action.ACCEPTANCE_PREPARE)
@require_POST
def point_add(request, centre, pk):
    sheet = selectors.sheet_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    form = PointForm(request.POST, centre=centre)
    saved, status = run_service(
        form,
        lambda: services.point_add(
            actor=request.user,
            source=WEB,
            sheet_id=sheet.pk,
            version=version,
            data=submitted(PointForm, request.POST),
        ),
    )
    if saved is not None:
        return HttpResponseRedirect(_url("sheet_detail", centre, pk))
    request.point_form = form
    return _detail(request, centre, pk, status)


@centre_page(AREA)
def sheet_pdf(request, centre, pk):
    """The sheet printed: every point with both ticks, the defects and the summary list, the
    signatures (ACC-2 … ACC-4)."""
    sheet = selectors.sheet_get(user=request.user, centre=centre, pk=pk)
    centre_label, team_label = side_labels(sheet.kind)
    context = {
        "sheet": sheet,
        "p": progress(sheet),
        "points": selectors.points(sheet),
        "signatures": [(party_label(s.party), s) for s in sheet.signatures.all()],
        "summary": list(selectors.summary_list(sheet)),
        "defects": list(selectors.defects_raised(sheet)),
        "centre_label": centre_label,
        "team_label": team_label,
        "stage": is_stage(sheet.kind),
        "commissioning": sheet.kind == SheetKind.COMMISSIONING,
        "unsigned": [party_label(x) for x in missing_parties(sheet)],
    }
    data = render_pdf("upkeep/sheet_pdf.html", context, tz=centre.tz)
    return pdf_response(data, f"{sheet.number}.pdf")


# this sub-domain's pages, added to upkeep/urls.py
A = f"{C}/acceptance"
URLS: list = [
    path(f"{A}/", sheet_list, name="sheet_list"),
    path(f"{A}/new/", sheet_create, name="sheet_create"),
    path(f"{A}/<int:pk>/", sheet_detail, name="sheet_detail"),
    path(f"{A}/<int:pk>/sheet.pdf", sheet_pdf, name="sheet_pdf"),
    path(f"{A}/<int:pk>/checkers/", sheet_checkers, name="sheet_checkers"),
    path(f"{A}/<int:pk>/points/", point_add, name="sheet_point_add"),
    path(f"{A}/<int:pk>/open/", sheet_open, name="sheet_open"),
    path(f"{A}/<int:pk>/sign/", sheet_sign, name="sheet_sign"),
    path(f"{A}/<int:pk>/close/", sheet_close, name="sheet_close"),
    # a point by its own id: the row (its live refresh), and each checker's action on it
    path(f"{A}/points/<int:pk>/", point_row, name="sheet_point"),
    path(f"{A}/points/<int:pk>/tick/", point_tick, name="sheet_point_tick"),
    path(f"{A}/points/<int:pk>/defect/", point_defect, name="sheet_point_defect"),
    path(f"{A}/points/<int:pk>/summarise/", point_summarise, name="sheet_point_summarise"),
]
