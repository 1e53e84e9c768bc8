"""What every register's services share: writing an entry through its form, and the named
department leader's decision (REG-1, REG-2, REG-9) — approve, or refuse with a reason —
locked with the version read, checked against the register's transition table, audited and
pushed to the console on commit."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import InvalidInput
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import create_from_form, locked, save_change, validated

from ..forms.common import DecisionForm, MomentForm

PANEL = "registers"  # the console panel every register change refreshes


def person(actor):
    """The person behind an actor; None for a system actor (the demo, a job)."""
    return None if getattr(actor, "is_system", False) else actor


def entry_create(*, actor, source, centre, data, form_class, verb: str, prepare=None):
    """A new entry of a centre's register, by someone who keeps it (``register.keep``)."""
    require(actor, Action.REGISTER_KEEP, centre)
    form = validated(form_class, data, centre=centre)

    def fill(entry) -> None:
        entry.centre = centre
        entry.recorded_by = person(actor)
        if prepare:
            prepare(entry)

    entry = create_from_form(actor=actor, source=source, form=form, verb=verb, prepare=fill)
    live.refresh_on_commit(centre, PANEL)
    return entry


def moment(centre, data) -> datetime:
    """The time given (inside the centre's window, ORG-4), or now."""
    form = validated(MomentForm, data, centre=centre)
    return form.cleaned_data["at"] or timezone.now()


@transaction.atomic
def decide(*, actor, source, model, pk, version: int, approve: bool, data, verb: str, check=None):
    """The department leader approves or refuses a pending entry (``register.approve``); a
    refusal needs its reason. The decision names the leader and the time. ``check(entry,
    approve)`` refuses what the register's own rules forbid."""
    entry = locked(model.objects.select_related("centre"), pk, version)
    require(actor, Action.REGISTER_APPROVE, entry.centre)
    note = validated(DecisionForm, data).cleaned_data["decision_note"].strip()
    action = "approve" if approve else "refuse"
    state = model.FLOW.next_state(entry.state, action)
    if check:
        check(entry, approve)
    if not approve and not note:
        rule = model.FLOW.rule
        raise InvalidInput(
            fields={
                "decision_note": [_("Give the reason for the refusal (%(rule)s).") % {"rule": rule}]
            },
            rule=rule,
        )
    before = audit.snapshot(entry)
    entry.state = state
    entry.decided_by = person(actor)
    entry.decided_at = timezone.now()
    entry.decision_note = note
    save_change(entry, actor=actor, source=source, verb=f"{verb}.{action}", before=before)
    live.refresh_on_commit(entry.centre, PANEL)
    return entry
