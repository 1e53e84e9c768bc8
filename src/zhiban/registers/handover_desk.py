"""What the desk registers put on a handover (DUTY-3), none blocking: items lent and not back
in time (REG-4), phone messages not yet done (REG-3), repairs still open (REG-6) — the
incoming side acknowledges knowing them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core.timewindow import shown
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from .selectors import desk

LISTED = 50


def overdue_loans(centre) -> Iterable[OpenThing]:
    for loan in desk.overdue(centre, timezone.now())[:LISTED]:
        yield OpenThing(
            ItemKind.REGISTER,
            _("Item not returned (REG-4): %(item)s, %(borrower)s, %(place)s")
            % {"item": loan.item, "borrower": loan.borrower, "place": loan.place},
            ref=loan,
            link=f"/c/{centre.code}/registers/loans/{loan.pk}/",
            detail=_("Due back %(at)s") % {"at": shown(loan.due_at, centre.tz)},
        )


def open_messages(centre) -> Iterable[OpenThing]:
    for message in desk.open_messages(centre)[:LISTED]:
        yield OpenThing(
            ItemKind.REGISTER,
            _("Phone message not done (REG-3): %(caller)s, %(place)s")
            % {"caller": message.caller, "place": message.place},
            ref=message,
            link=f"/c/{centre.code}/registers/phone-messages/{message.pk}/",
            detail=_("%(at)s · passed to %(person)s")
            % {"at": shown(message.at, centre.tz), "person": message.routed_to},
        )


def open_repairs(centre) -> Iterable[OpenThing]:
    for repair in desk.open_repairs(centre)[:LISTED]:
        yield OpenThing(
            ItemKind.REGISTER,
            _("Repair open (REG-6): %(equipment)s, %(fault)s")
            % {"equipment": repair.equipment, "fault": repair.fault},
            ref=repair,
            link=f"/c/{centre.code}/registers/repairs/{repair.pk}/",
            detail=_("Reported %(at)s · %(repairer)s")
            % {"at": shown(repair.reported_at, centre.tz), "repairer": repair.repairer},
        )
