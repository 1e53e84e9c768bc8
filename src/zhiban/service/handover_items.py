"""What customer service puts on a handover (DUTY-3): the open cases whose first response is
overdue (CS-6) and the cases routed to a department whose result has not come back (CS-2),
each named with its customer and who owns it; not blocking — the incoming side acknowledges
knowing them. Customer-service centres only."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from zhiban.core.nav import SERVICE
from zhiban.core.timewindow import shown
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from .selectors.cases import open_breached, routed_without_result

LISTED = 50  # the oldest ones; a centre with more has a backlog the console shows


def _link(centre, case) -> str:
    return f"/c/{centre.code}/service/cases/{case.pk}/"


def late_first_responses(centre) -> Iterable[OpenThing]:
    """CS-6: open cases still waiting for their first response past its time."""
    if centre.kind != SERVICE:
        return
    for case in open_breached(centre)[:LISTED]:
        owner = case.owner or _("in the queue")
        yield OpenThing(
            ItemKind.OTHER,
            _("%(number)s first response overdue (CS-6): %(customer)s — %(subject)s")
            % {"number": case.number, "customer": case.customer.name, "subject": case.subject},
            ref=case,
            link=_link(centre, case),
            detail=_("Due %(due)s · %(owner)s")
            % {"due": shown(case.first_response_due, centre.tz), "owner": owner},
        )


def results_outstanding(centre) -> Iterable[OpenThing]:
    """CS-2: cases with a department whose result has not come back."""
    if centre.kind != SERVICE:
        return
    for case in routed_without_result(centre)[:LISTED]:
        yield OpenThing(
            ItemKind.OTHER,
            _("%(number)s waits for %(department)s's result (CS-2): %(subject)s")
            % {"number": case.number, "department": case.department, "subject": case.subject},
            ref=case,
            link=_link(centre, case),
            detail=_("Routed %(at)s · %(owner)s")
            % {"at": shown(case.routed_at, centre.tz), "owner": case.owner or "—"},
        )
