"""Scoped reads of acceptance sheets (ACC-2 … ACC-4): a sheet of another centre, or a point of
another sheet, answers 404 (ORG-3)."""

from __future__ import annotations

from django.db.models import Q

from zhiban.core.errors import NotFound
from zhiban.core.scoping import require

from ..models import AcceptancePoint, AcceptanceSheet, PointResult, SheetState

SHEET_ROWS = AcceptanceSheet.objects.select_related(
    "centre", "site", "team", "centre_checker", "team_checker", "prepared_by", "closed_by"
)
POINT_ROWS = AcceptancePoint.objects.select_related(
    "site", "centre_by", "team_by", "defect"
).order_by("seq")

# the filters of the points table
POINT_FILTERS = ("mine", "wrong", "open")


def sheet_list(*, user, centre, state: str = ""):
    require(user, "org.view", centre)
    rows = SHEET_ROWS.filter(centre=centre)
    if state in SheetState.values:
        rows = rows.filter(state=state)
    return rows


def checking(*, user, centre):
    """The sheets being checked, newest first (the upkeep home)."""
    return sheet_list(user=user, centre=centre, state=SheetState.CHECKING)


def sheet_get(*, user, centre, pk) -> AcceptanceSheet:
    require(user, "org.view", centre)
    try:
        return SHEET_ROWS.get(centre=centre, pk=pk)
    except (AcceptanceSheet.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(rule="ORG-3") from None


def points(sheet, *, show: str = "", side: str | None = None):
    """The sheet's points in order; ``show``: ``mine`` — those the viewer's side still owes,
    ``wrong`` — those found wrong, ``open`` — those either side still owes."""
    rows = POINT_ROWS.filter(sheet=sheet)
    if show == "mine" and side:
        rows = rows.filter(**{f"{side}_result": ""})
    elif show == "wrong":
        rows = rows.filter(Q(centre_result=PointResult.FAIL) | Q(team_result=PointResult.FAIL))
    elif show == "open":
        rows = rows.filter(Q(centre_result="") | Q(team_result=""))
    return rows


def point_in_centre(*, user, centre, pk) -> AcceptancePoint:
    """A point of one of the centre's sheets, by its own id (404 otherwise, ORG-3)."""
    require(user, "org.view", centre)
    try:
        return POINT_ROWS.select_related("sheet").get(sheet__centre=centre, pk=pk)
    except (AcceptancePoint.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(rule="ORG-3") from None


def point_get(sheet, pk) -> AcceptancePoint:
    try:
        return POINT_ROWS.get(sheet=sheet, pk=pk)
    except (AcceptancePoint.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(rule="ORG-3") from None


def summary_list(sheet):
    """ACC-3: the wrong points put on the summary list."""
    return POINT_ROWS.filter(sheet=sheet, summarised=True)


def defects_raised(sheet):
    """ACC-3: the wrong points that became defects."""
    return POINT_ROWS.filter(sheet=sheet, defect__isnull=False)
