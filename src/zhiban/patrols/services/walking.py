"""A round walked on a phone (PAT-2, PAT-4): the centre's answer before a station patrol, start,
each checkpoint's result with counted items and photos, the QR confirmation, end. Every act
carries the round's version: two guards finishing the same round — the second gets 409."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import InvalidInput, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import locked, save_change, validated
from zhiban.core.timewindow import shown
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from .. import photos
from ..forms import MAX_COUNT, AnswerForm, ConfirmForm, ResultForm
from ..models import Checkpoint, PatrolRound, Result, RoundCheck, RoundPhoto
from ..selectors import may_walk


def _round(round_id, version) -> PatrolRound:
    return locked(PatrolRound.objects.select_related("centre", "plan"), round_id, version)


def _may_walk(actor, rnd: PatrolRound) -> None:
    """PAT-2: walking needs ``patrol.walk``; the centre's own patrol only a chief operator
    walks (PAT-5, recorded under the centre's own unit)."""
    require(actor, Action.PATROL_WALK, rnd.centre)
    if not may_walk(actor, rnd):
        raise Refused(
            _("The centre's own patrol is walked by a chief operator (PAT-5)."), rule="PAT-5"
        )


def _act(rnd: PatrolRound, action: str) -> str:
    """The state after ``action``; a round already ended or missed refuses naming PAT-2."""
    if action == "check" and not PatrolRound.FLOW.allows(rnd.state, action):
        raise Refused(
            _("The round is %(state)s: no result can be recorded now (PAT-2).")
            % {"state": rnd.get_state_display()},
            rule="PAT-2",
        )
    return PatrolRound.FLOW.next_state(rnd.state, action)


def _changed(rnd, *, actor, source, verb, before, noted=None) -> PatrolRound:
    save_change(rnd, actor=actor, source=source, verb=verb, before=before, noted=noted)
    live.refresh_on_commit(rnd.centre, "patrols")
    return rnd


@transaction.atomic
def round_answer(*, actor, source, round_id, version: int, data, at=None) -> PatrolRound:
    """PAT-4: the centre's answer to the field operator's question (anomalies to check,
    signals to reset) recorded on the round: who answered, when, what."""
    rnd = _round(round_id, version)
    require(actor, Action.PATROL_ANSWER, rnd.centre)
    form = validated(AnswerForm, data, centre=rnd.centre)
    _act(rnd, "answer")
    before = audit.snapshot(rnd)
    rnd.question = form.cleaned_data["question"]
    rnd.answer = form.cleaned_data["answer"]
    rnd.answered_by, rnd.answered_at = actor, at or timezone.now()
    return _changed(rnd, actor=actor, source=source, verb="patrol_round.answer", before=before)


@transaction.atomic
def round_start(*, actor, source, round_id, version: int, at=None) -> PatrolRound:
    """PAT-2: the round starts in its window; a station patrol only after the centre's answer
    is recorded (PAT-4). ``at`` (the demo's and the bench's past rounds) is never a person's
    input: pages and the API record now."""
    rnd = _round(round_id, version)
    _may_walk(actor, rnd)
    now = at or timezone.now()
    if rnd.plan.station_patrol and rnd.answered_at is None:
        raise Refused(
            _(
                "Ask the centre for anomalies to check and signals to reset first: the round "
                "starts once its answer is recorded (PAT-4)."
            ),
            rule="PAT-4",
        )
    if now < rnd.window_start:
        raise Refused(
            _("The round's window opens at %(at)s (PAT-2).")
            % {"at": shown(rnd.window_start, rnd.centre.tz)},
            rule="PAT-2",
        )
    state = _act(rnd, "start")
    before = audit.snapshot(rnd)
    rnd.state, rnd.walker, rnd.started_at = state, actor, now
    return _changed(rnd, actor=actor, source=source, verb="patrol_round.start", before=before)


def _check_row(rnd: PatrolRound, checkpoint_id) -> RoundCheck:
    row = (
        RoundCheck.objects.select_related("checkpoint__site")
        .prefetch_related("checkpoint__items")
        .filter(round=rnd, checkpoint_id=checkpoint_id)
        .first()
    )
    if row is None:
        raise Refused(_("This checkpoint is not in the round (PAT-2)."), rule="PAT-2")
    return row


def _counts(row: RoundCheck, raw, result: str) -> dict[str, int]:
    """The counted items (by their order number) within bounds; a normal result needs each
    counted item at its minimum (PAT-2)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise InvalidInput(rule="PAT-2", fields={"counts": [_("Give the counts per item.")]})
    counts: dict[str, int] = {}
    problems = []
    for item in row.checkpoint.items.all():
        if item.minimum is None:
            continue
        value = raw.get(str(item.seq), raw.get(item.seq))
        if value in (None, ""):
            if result == Result.NORMAL:
                problems.append(_("Count “%(item)s” (PAT-2).") % {"item": item.text})
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= MAX_COUNT:
            problems.append(_("“%(item)s”: a count from 0 to 10000.") % {"item": item.text})
            continue
        counts[str(item.seq)] = number
        if result == Result.NORMAL and number < item.minimum:
            problems.append(
                _("“%(item)s”: at least %(n)d must be checked, or record it abnormal (PAT-2).")
                % {"item": item.text, "n": item.minimum}
            )
    if problems:
        raise InvalidInput(rule="PAT-2", fields={"counts": problems})
    return counts


@transaction.atomic
def round_check(*, actor, source, round_id, version: int, data, at=None) -> PatrolRound:
    """PAT-2: a checkpoint's result in the round (normal, or abnormal with a note) and its
    counted items; refused for a checkpoint not in the round or once the round has ended."""
    rnd = _round(round_id, version)
    _may_walk(actor, rnd)
    form = validated(ResultForm, data, centre=rnd.centre)
    _act(rnd, "check")
    row = _check_row(rnd, form.cleaned_data["checkpoint"])
    result = form.cleaned_data["result"]
    counts = _counts(row, data.get("counts"), result)
    before = audit.snapshot(rnd)
    row.result, row.note, row.counts = result, form.cleaned_data["note"], counts
    row.checked_at, row.checked_by = at or timezone.now(), actor
    row.save()
    return _changed(
        rnd,
        actor=actor,
        source=source,
        verb="patrol_round.check",
        before=before,
        noted={"checkpoint": str(row.checkpoint), "result": result, "note": row.note},
    )


@transaction.atomic
def round_confirm(*, actor, source, round_id, version: int, data) -> RoundCheck:
    """PAT-2: the guard was at the checkpoint — its QR code read by the phone's camera (the
    token) or its short code typed. A code of another checkpoint or site is refused. Returns
    the checkpoint's row of the round (the page opens it next)."""
    rnd = _round(round_id, version)
    _may_walk(actor, rnd)
    form = validated(ConfirmForm, data, centre=rnd.centre)
    _act(rnd, "check")
    code = form.cleaned_data["code"].strip()
    checkpoint = (
        Checkpoint.objects.filter(centre=rnd.centre)
        .filter(Q(token=code) | Q(short_code=code.upper().replace("-", "").replace(" ", "")))
        .select_related("site")
        .first()
    )
    if checkpoint is None:
        raise Refused(_("This code is no checkpoint of the centre (PAT-2)."), rule="PAT-2")
    row = RoundCheck.objects.filter(round=rnd, checkpoint=checkpoint).first()
    if row is None:
        raise Refused(
            _("The code is of “%(checkpoint)s”, which is not in this round (PAT-2).")
            % {"checkpoint": checkpoint},
            rule="PAT-2",
        )
    before = audit.snapshot(rnd)
    row.confirmed_at = timezone.now()
    row.save(update_fields=["confirmed_at"])
    _changed(
        rnd,
        actor=actor,
        source=source,
        verb="patrol_round.confirm",
        before=before,
        noted={"checkpoint": str(checkpoint)},
    )
    return row


@transaction.atomic
def round_photo(*, actor, source, round_id, version: int, checkpoint_id, data: bytes):
    """PAT-2: a photo of a checkpoint's result, checked and stored (``photos``)."""
    rnd = _round(round_id, version)
    _may_walk(actor, rnd)
    _act(rnd, "check")
    row = _check_row(rnd, checkpoint_id)
    checked = photos.check(data, rnd.centre)
    before = audit.snapshot(rnd)
    photo = RoundPhoto.objects.create(
        centre=rnd.centre,
        check_row=row,
        name=photos.store(checked),
        content_type=checked.content_type,
        size=len(checked.data),
        taken_by=actor,
        taken_at=timezone.now(),
    )
    _changed(
        rnd,
        actor=actor,
        source=source,
        verb="patrol_round.photo",
        before=before,
        noted={"checkpoint": str(row.checkpoint), "photo": photo.name},
    )
    return photo


@transaction.atomic
def round_end(*, actor, source, round_id, version: int, at=None) -> PatrolRound:
    """PAT-2: the round ends once every checkpoint has its result; ending it twice, or two
    guards ending it, answers the second with 409 (the version)."""
    rnd = _round(round_id, version)
    _may_walk(actor, rnd)
    state = _act(rnd, "end")
    pending = rnd.checks.filter(result=Result.PENDING).count()
    if pending:
        raise Refused(
            _("%(n)d checkpoints have no result yet (PAT-2).") % {"n": pending}, rule="PAT-2"
        )
    before = audit.snapshot(rnd)
    rnd.state, rnd.ended_at = state, at or timezone.now()
    _changed(rnd, actor=actor, source=source, verb="patrol_round.end", before=before)
    _log(rnd, actor=actor, source=source)
    return rnd


def _log(rnd: PatrolRound, *, actor, source) -> None:
    """PAT-5: every round ended is one line of the duty log's patrol category, under its
    checkpoints' site when they share one — the centre's own patrol under the centre's unit."""
    rows = list(rnd.checks.select_related("checkpoint__site").order_by("id"))
    sites = {row.checkpoint.site for row in rows}
    log_write(
        actor=actor,
        source=source,
        centre=rnd.centre,
        category=LogCategory.PATROL,
        verb="patrol_round.end",
        params={
            "plan": rnd.plan.name,
            "n": len(rows),
            "abnormal": [
                f"{row.checkpoint.name}：{row.note}" if row.note else row.checkpoint.name
                for row in rows
                if row.result == Result.ABNORMAL
            ],
        },
        at=rnd.ended_at,
        site=sites.pop() if len(sites) == 1 else None,
        regarding=rnd,
    )
