"""Acceptance sheets (ACC-2 … ACC-4): the centre prepares a sheet, the centre and the team each
name one checker, both tick every point (method, result, remark) — each tick pushed live to
both screens —, a wrong point becomes a defect or goes to the summary list, the named parties
of a stage acceptance sign, and the sheet closes only when nothing is owed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import InvalidInput, NotFound, Refused
from zhiban.core.numbering import format_number, next_number
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require
from zhiban.core.services import locked, save_change, validated

from ..checklists import DEFAULT_ITEMS, REQUIRED_PARTIES, is_stage, party_label
from ..forms.acceptance import (
    CheckersForm,
    CloseForm,
    PointDefectForm,
    PointForm,
    SheetForm,
    SignForm,
    TickForm,
)
from ..models import (
    AcceptancePoint,
    AcceptanceSheet,
    DefectKind,
    DefectOrigin,
    PointMethod,
    PointResult,
    SheetKind,
    SheetState,
    Signature,
)
from .defects import defect_report

FLOW = AcceptanceSheet.FLOW
CENTRE, TEAM = "centre", "team"
WRONG = Q(centre_result=PointResult.FAIL) | Q(team_result=PointResult.FAIL)
UNRESOLVED = WRONG & Q(defect__isnull=True, summarised=False)


def _person(actor):
    return None if getattr(actor, "is_system", False) else actor


# --- live pushes (the sheet's page on both checkers' screens) --------------------------------


def sheet_panel(sheet_id: int) -> str:
    """The whole sheet's page: reloaded on a change of the sheet itself."""
    return f"acceptance-{sheet_id}"


def progress_panel(sheet_id: int) -> str:
    """The progress bar and what each side owes."""
    return f"acceptance-{sheet_id}-progress"


def point_panel(sheet_id: int, point_id: int) -> str:
    """One row of the points table."""
    return f"acceptance-{sheet_id}-p{point_id}"


def _refresh_sheet(sheet) -> None:
    live.refresh_on_commit(sheet.centre, sheet_panel(sheet.pk), "upkeep")


def _refresh_point(sheet, point) -> None:
    """One row and the progress on the sheet's open pages; the area's home and the list are
    not reloaded for every tick (only when a sheet itself changes)."""
    live.refresh_on_commit(sheet.centre, point_panel(sheet.pk, point.pk), progress_panel(sheet.pk))


# --- progress ---------------------------------------------------------------------------------


@dataclass
class Progress:
    """Where a sheet stands (ACC-2, ACC-3, ACC-4): points ticked by each side, both correct,
    wrong (and of those not yet a defect nor summarised), what each side still owes and the
    parties still to sign."""

    total: int = 0
    centre_done: int = 0
    team_done: int = 0
    both_done: int = 0
    both_ok: int = 0
    wrong: int = 0
    unresolved: int = 0
    signatures_missing: list[str] = field(default_factory=list)

    @property
    def centre_owes(self) -> int:
        return self.total - self.centre_done

    @property
    def team_owes(self) -> int:
        return self.total - self.team_done

    @property
    def percent(self) -> int:
        return round(100 * self.both_done / self.total) if self.total else 0

    @property
    def centre_percent(self) -> int:
        return round(100 * self.centre_done / self.total) if self.total else 0

    @property
    def team_percent(self) -> int:
        return round(100 * self.team_done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return (
            self.total > 0
            and self.both_done == self.total
            and not self.unresolved
            and not self.signatures_missing
        )


def progress(sheet) -> Progress:
    """One aggregate query over the sheet's points and one over its signatures."""
    counts = AcceptancePoint.objects.filter(sheet=sheet).aggregate(
        total=Count("id"),
        centre_done=Count("id", filter=~Q(centre_result="")),
        team_done=Count("id", filter=~Q(team_result="")),
        both_done=Count("id", filter=~Q(centre_result="") & ~Q(team_result="")),
        both_ok=Count("id", filter=Q(centre_result=PointResult.OK, team_result=PointResult.OK)),
        wrong=Count("id", filter=WRONG),
        unresolved=Count("id", filter=UNRESOLVED),
    )
    return Progress(**counts, signatures_missing=missing_parties(sheet))


def missing_parties(sheet) -> list[str]:
    """ACC-4: the required parties of the sheet's kind that have not signed."""
    required = REQUIRED_PARTIES.get(sheet.kind, ())
    if not required:
        return []
    signed = set(Signature.objects.filter(sheet=sheet).values_list("party", flat=True))
    return [p for p in required if p not in signed]


def side_of(sheet, person) -> str | None:
    """The side a person ticks on this sheet: the named centre checker or team checker."""
    if person is None or not getattr(person, "pk", None):
        return None
    if sheet.centre_checker_id == person.pk:
        return CENTRE
    if sheet.team_checker_id == person.pk:
        return TEAM
    return None


# --- preparing ----------------------------------------------------------------------------------


@transaction.atomic
def sheet_create(*, actor, source, centre, data) -> AcceptanceSheet:
    """ACC-2, ACC-4: the centre prepares a sheet (kind, title, station, team), numbered
    YS-YYYY-NNNN; a stage acceptance starts with its kind's default check items."""
    require(actor, Action.ACCEPTANCE_PREPARE, centre)
    form = validated(SheetForm, data, centre=centre)
    sheet = form.save(commit=False)
    now = timezone.now()
    year = timezone.localtime(now, centre.tz).year
    sheet.centre = centre
    sheet.number = format_number("YS", year, next_number(centre, "acceptance", year))
    sheet.prepared_by = _person(actor)
    sheet.save()
    AcceptancePoint.objects.bulk_create(
        AcceptancePoint(sheet=sheet, seq=i, site=sheet.site, name=name)
        for i, name in enumerate(DEFAULT_ITEMS.get(sheet.kind, ()), start=1)
    )
    audit.record(
        actor=actor,
        source=source,
        verb="acceptance.create",
        obj=sheet,
        after=audit.snapshot(sheet),
    )
    _refresh_sheet(sheet)
    return sheet


def _sheet(sheet_id, version):
    return locked(
        AcceptanceSheet.objects.select_related("centre", "site", "team"), sheet_id, version
    )


def _not_closed(sheet) -> None:
    if sheet.state == SheetState.CLOSED:
        raise Refused(
            _("The sheet %(number)s is closed (ACC-2).") % {"number": sheet.number}, rule="ACC-2"
        )


@transaction.atomic
def sheet_checkers(*, actor, source, sheet_id, version: int, data) -> AcceptanceSheet:
    """ACC-2: the centre and the team each name one checker (while the sheet is open)."""
    sheet = _sheet(sheet_id, version)
    require(actor, Action.ACCEPTANCE_PREPARE, sheet.centre)
    _not_closed(sheet)
    form = validated(CheckersForm, data, centre=sheet.centre, sheet=sheet)
    before = audit.snapshot(sheet)
    sheet.centre_checker = form.cleaned_data["centre_checker"]
    sheet.team_checker = form.cleaned_data["team_checker"]
    save_change(sheet, actor=actor, source=source, verb="acceptance.checkers", before=before)
    _refresh_sheet(sheet)
    return sheet


@transaction.atomic
def point_add(*, actor, source, sheet_id, version: int, data) -> AcceptancePoint:
    """A check item (or a four-remote point by hand) added at the end of a sheet being
    prepared, at the sheet's version as read (the sheet's content changes: DESIGN-1); two
    additions at once number in turn, the second answering 409."""
    sheet = _sheet(sheet_id, version)
    require(actor, Action.ACCEPTANCE_PREPARE, sheet.centre)
    if sheet.state != SheetState.DRAFT:
        raise Refused(
            _("Points are added while the sheet is being prepared (ACC-2)."), rule="ACC-2"
        )
    form = validated(PointForm, data, centre=sheet.centre)
    address = form.cleaned_data.get("address")
    if address is not None and sheet.points.filter(address=address).exists():
        message = _("Another point of this sheet has this address (ACC-2).")
        raise InvalidInput(rule="ACC-2", fields={"address": [message]})
    point = form.save(commit=False)
    point.sheet, point.site = sheet, sheet.site
    point.seq = (sheet.points.aggregate(m=Max("seq"))["m"] or 0) + 1
    point.save()
    before = audit.snapshot(sheet)
    save_change(
        sheet,
        actor=actor,
        source=source,
        verb="acceptance.point_add",
        before=before,
        noted={"point": point.seq, "name": point.name, "address": address},
    )
    _refresh_sheet(sheet)
    return point


@transaction.atomic
def sheet_open(*, actor, source, sheet_id, version: int) -> AcceptanceSheet:
    """ACC-2: checking begins (draft → checking) once both checkers are named and the sheet
    has at least one point."""
    sheet = _sheet(sheet_id, version)
    require(actor, Action.ACCEPTANCE_PREPARE, sheet.centre)
    if not FLOW.allows(sheet.state, "open"):
        raise Refused(
            _("Only a sheet being prepared can begin checking; this one is: %(state)s (ACC-2).")
            % {"state": sheet.get_state_display()},
            rule="ACC-2",
        )
    if not (sheet.centre_checker_id and sheet.team_checker_id):
        raise Refused(
            _("The centre and the team must each name one checker first (ACC-2)."), rule="ACC-2"
        )
    if not sheet.points.exists():
        raise Refused(_("The sheet has no points to check (ACC-2)."), rule="ACC-2")
    before = audit.snapshot(sheet)
    sheet.state = FLOW.next_state(sheet.state, "open")
    sheet.opened_at = timezone.now()
    save_change(sheet, actor=actor, source=source, verb="acceptance.open", before=before)
    _refresh_sheet(sheet)
    return sheet


# --- checking ---------------------------------------------------------------------------------


def _point(sheet_id, point_id, version):
    """The sheet (read, in scope) and its point, locked at the version the checker read."""
    sheet = (
        AcceptanceSheet.objects.select_related("centre", "site", "team").filter(pk=sheet_id).first()
    )
    if sheet is None:
        raise NotFound()
    point = locked(AcceptancePoint.objects.filter(sheet=sheet), point_id, version)
    return sheet, point


def _checking(sheet) -> None:
    if sheet.state != SheetState.CHECKING:
        raise Refused(
            _("Points are ticked while the sheet is being checked; it is: %(state)s (ACC-2).")
            % {"state": sheet.get_state_display()},
            rule="ACC-2",
        )


@transaction.atomic
def point_tick(*, actor, source, sheet_id, point_id, version: int, data) -> AcceptancePoint:
    """ACC-2: the named checker of a side ticks a point for that side — method, result,
    remark; anyone else is refused. Of two ticks of the same point at once the second
    answers 409 (stale version). Both checkers' pages update live."""
    sheet, point = _point(sheet_id, point_id, version)
    require(actor, Action.ACCEPTANCE_CHECK, sheet.centre)
    side = side_of(sheet, actor)
    if side is None:
        raise Refused(
            _("Only the two named checkers of the sheet tick its points (ACC-2)."), rule="ACC-2"
        )
    _checking(sheet)
    form = validated(TickForm, data, centre=sheet.centre)
    method = form.cleaned_data["method"]
    if sheet.kind == SheetKind.COMMISSIONING and not method:
        method = PointMethod.REAL
    before = audit.snapshot(point)
    setattr(point, f"{side}_result", form.cleaned_data["result"])
    setattr(point, f"{side}_method", method)
    setattr(point, f"{side}_remark", form.cleaned_data["remark"])
    setattr(point, f"{side}_by", actor)
    setattr(point, f"{side}_at", timezone.now())
    save_change(
        point,
        actor=actor,
        source=source,
        verb="acceptance.tick",
        before=before,
        centre=sheet.centre,
    )
    _refresh_point(sheet, point)
    return point


def _is_wrong(point) -> bool:
    return PointResult.FAIL in (point.centre_result, point.team_result)


def _wrong_unresolved(sheet, point) -> None:
    """ACC-3: a defect or the summary list is for a wrong point not yet given either, raised
    by the centre (its checker or those who prepare sheets at the centre)."""
    if not _is_wrong(point):
        raise Refused(
            _("Only a point found wrong becomes a defect or goes to the summary list (ACC-3)."),
            rule="ACC-3",
        )
    if point.defect_id or point.summarised:
        raise Refused(
            _("This point already has a defect or is on the summary list (ACC-3)."),
            rule="ACC-3",
        )


def _centre_raises(sheet, actor) -> None:
    if side_of(sheet, actor) == CENTRE:
        return
    if side_of(sheet, actor) is None and can(actor, Action.ACCEPTANCE_PREPARE, sheet.centre):
        teams = actor.memberships.filter(centre=sheet.centre, active=True, team__isnull=False)
        if not teams.exists():
            return
    raise Refused(_("Problems found in acceptance are raised by the centre (ACC-3)."), rule="ACC-3")


def point_phenomenon(sheet, point) -> str:
    """The prefilled phenomenon of a wrong point's defect (ACC-3)."""
    head = " ".join(
        x
        for x in (
            point.bay,
            point.name,
            point.get_remote_type_display() if point.remote_type else "",
            _("address %(address)s") % {"address": point.address} if point.address else "",
        )
        if x
    )
    remarks = "；".join(r for r in (point.centre_remark, point.team_remark) if r)
    text = _("%(sheet)s acceptance: %(point)s found wrong") % {"sheet": sheet.number, "point": head}
    return f"{text}：{remarks}" if remarks else text


@transaction.atomic
def point_raise_defect(*, actor, source, sheet_id, point_id, version: int, data) -> AcceptancePoint:
    """ACC-3: the centre raises a defect of a wrong point — a four-remote defect of a
    commissioning sheet's station (a stage acceptance's a local one), prefilled from the
    point — through the defect register (DEF-1, DEF-2)."""
    sheet, point = _point(sheet_id, point_id, version)
    require(actor, Action.ACCEPTANCE_CHECK, sheet.centre)
    _not_closed(sheet)
    _centre_raises(sheet, actor)
    _wrong_unresolved(sheet, point)
    form = validated(PointDefectForm, data, centre=sheet.centre)
    kind = DefectKind.FOUR_REMOTE if sheet.kind == SheetKind.COMMISSIONING else DefectKind.LOCAL
    defect = defect_report(
        actor=actor,
        source=source,
        centre=sheet.centre,
        data={
            "site": (point.site_id or sheet.site_id),
            "equipment": "",
            "kind": kind,
            "grade": form.cleaned_data["grade"],
            "phenomenon": form.cleaned_data["phenomenon"] or point_phenomenon(sheet, point),
            "affects_monitoring": sheet.kind == SheetKind.COMMISSIONING,
            "temporary_measure": "",
        },
        origin=DefectOrigin.ACCEPTANCE,
        origin_id=point.pk,
    )
    before = audit.snapshot(point)
    point.defect = defect
    save_change(
        point,
        actor=actor,
        source=source,
        verb="acceptance.defect",
        before=before,
        centre=sheet.centre,
    )
    _refresh_point(sheet, point)
    return point


@transaction.atomic
def point_summarise(*, actor, source, sheet_id, point_id, version: int) -> AcceptancePoint:
    """ACC-3: a wrong point goes to the summary list (汇总) instead of a defect."""
    sheet, point = _point(sheet_id, point_id, version)
    require(actor, Action.ACCEPTANCE_CHECK, sheet.centre)
    _not_closed(sheet)
    _centre_raises(sheet, actor)
    _wrong_unresolved(sheet, point)
    before = audit.snapshot(point)
    point.summarised = True
    save_change(
        point,
        actor=actor,
        source=source,
        verb="acceptance.summarise",
        before=before,
        centre=sheet.centre,
    )
    _refresh_point(sheet, point)
    return point


@transaction.atomic
def sign(*, actor, source, sheet_id, version: int, data) -> Signature:
    """ACC-4: a named party of a stage acceptance signs (party, name), once per party, while
    the sheet is being checked."""
    sheet = _sheet(sheet_id, version)
    require(actor, Action.ACCEPTANCE_CHECK, sheet.centre)
    parties = REQUIRED_PARTIES.get(sheet.kind, ())
    if not parties:
        raise Refused(
            _("A four-remote acceptance is signed by its two checkers' ticks (ACC-4)."),
            rule="ACC-4",
        )
    _checking(sheet)
    form = validated(SignForm, data, centre=sheet.centre, parties=parties)
    party = form.cleaned_data["party"]
    if sheet.signatures.filter(party=party).exists():
        raise Refused(
            _("%(party)s has already signed this sheet (ACC-4).") % {"party": party_label(party)},
            rule="ACC-4",
        )
    signature = Signature.objects.create(
        sheet=sheet,
        party=party,
        name=form.cleaned_data["name"],
        person=_person(actor),
        signed_at=timezone.now(),
        remark=form.cleaned_data["remark"],
    )
    before = audit.snapshot(sheet)
    save_change(
        sheet,
        actor=actor,
        source=source,
        verb="acceptance.sign",
        before=before,
        noted={"party": party, "name": signature.name},
    )
    _refresh_sheet(sheet)
    return signature


@transaction.atomic
def sheet_close(*, actor, source, sheet_id, version: int, data=None) -> AcceptanceSheet:
    """ACC-2 … ACC-4: the sheet closes (checking → closed) only when both sides have ticked
    every point (ACC-2), every wrong point is a defect or on the summary list (ACC-3) and,
    for a stage acceptance, every required party has signed (ACC-4); the refusal says what
    is owed."""
    sheet = _sheet(sheet_id, version)
    require(actor, Action.ACCEPTANCE_PREPARE, sheet.centre)
    if not FLOW.allows(sheet.state, "close"):
        raise Refused(
            _("Only a sheet being checked can close; this one is: %(state)s (ACC-2).")
            % {"state": sheet.get_state_display()},
            rule="ACC-2",
        )
    form = validated(CloseForm, data or {}, centre=sheet.centre)
    p = progress(sheet)
    if p.centre_owes or p.team_owes:
        raise Refused(
            _(
                "Every point needs both ticks: the centre's checker owes %(centre)s, the "
                "team's checker %(team)s (ACC-2)."
            )
            % {"centre": p.centre_owes, "team": p.team_owes},
            rule="ACC-2",
        )
    if p.unresolved:
        raise Refused(
            _(
                "%(count)s wrong point(s) have neither a defect nor a place on the summary "
                "list (ACC-3)."
            )
            % {"count": p.unresolved},
            rule="ACC-3",
        )
    if p.signatures_missing and is_stage(sheet.kind):
        raise Refused(
            _("Still to sign: %(parties)s (ACC-4).")
            % {"parties": "、".join(party_label(x) for x in p.signatures_missing)},
            rule="ACC-4",
        )
    before = audit.snapshot(sheet)
    sheet.state = FLOW.next_state(sheet.state, "close")
    sheet.closed_at, sheet.closed_by = timezone.now(), _person(actor)
    sheet.conclusion = form.cleaned_data["conclusion"]
    save_change(sheet, actor=actor, source=source, verb="acceptance.close", before=before)
    _refresh_sheet(sheet)
    return sheet
