"""Scoped reads of a commissioning sheet's point table (ACC-2): the sheet within the centre
(another centre's answers 404, ORG-3), its points, and the accepted ones the IEC 104 bridge's
point file is made of."""

from __future__ import annotations

from django.db.models import Count, Q

from zhiban.core.errors import NotFound

from ..models import AcceptancePoint, AcceptanceSheet, PointResult, SheetKind
from .acceptance import sheet_get


def commissioning_sheet_get(*, user, centre, pk) -> AcceptanceSheet:
    """As ``acceptance.sheet_get``, for a new station's four-remote sheet only: a stage
    acceptance has no point table (404 here)."""
    sheet = sheet_get(user=user, centre=centre, pk=pk)
    if sheet.kind != SheetKind.COMMISSIONING:
        raise NotFound()
    return sheet


def accepted_points(sheet):
    """The points both checkers ticked correct (ACC-2), in the table's order, with station."""
    return (
        AcceptancePoint.objects.filter(
            sheet=sheet, centre_result=PointResult.OK, team_result=PointResult.OK
        )
        .select_related("site")
        .order_by("seq")
    )


def point_counts(sheet) -> dict[str, int]:
    """How many points the sheet has, by type, how many both sides accepted, and how many of
    those the IEC 104 bridge's point file leaves out (``point_table.bridge_rows``)."""
    accepted = Q(centre_result=PointResult.OK, team_result=PointResult.OK)
    unread = ~Q(remote_type__in=["yx", "yc"]) | Q(
        remote_type="yc", low__isnull=True, high__isnull=True
    )
    figures = AcceptancePoint.objects.filter(sheet=sheet).aggregate(
        total=Count("id"),
        accepted=Count("id", filter=accepted),
        left_out=Count("id", filter=accepted & unread),
        yx=Count("id", filter=Q(remote_type="yx")),
        yc=Count("id", filter=Q(remote_type="yc")),
        yk=Count("id", filter=Q(remote_type="yk")),
        yt=Count("id", filter=Q(remote_type="yt")),
    )
    return {key: value or 0 for key, value in figures.items()}


def points_preview(sheet, count: int = 20):
    """The table's first points, as imported."""
    return (
        AcceptancePoint.objects.filter(sheet=sheet).select_related("site").order_by("seq")[:count]
    )
