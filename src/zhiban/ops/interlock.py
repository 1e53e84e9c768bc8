"""The interlock of operation ticket ↔ maintenance tag ↔ work ticket (WORK-3, DESIGN rule 8).

Every operation ticket knows its equipment however it was made (OPS-15): what the filler chose,
the equipment of its dispatch order, and the station's equipment its task and steps name by
double name (a typical ticket's task and steps included). A step that puts that equipment
towards service — the task or the step states a transition up the ladder 检修 → 冷备用 →
热备用 → 运行, or the step closes (合上) something other than an earth, removes an earth or
racks a truck into service — is refused while a work ticket on the equipment is still
permitted or interrupted, or its maintenance tag (检修牌) is on. The work has to end (工作终结)
and the centre remove the tag (WORK-4), or the centre records an override with its reason:
audited, shown on the ticket and written to the duty log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import locked, validated
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import Equipment

from .forms import ReasonForm
from .models import (
    InterlockOverride,
    MaintenanceTag,
    OperationTicket,
    WorkState,
    WorkTicket,
)

# The operating states of equipment, from out of service to in service (设备状态).
LADDER = {"检修": 0, "冷备用": 1, "热备用": 2, "运行": 3}
_STATE = "|".join(LADDER)
TRANSITION = re.compile(rf"({_STATE})\s*(?:转为?|改为?|→|->|—>|至|到)\s*({_STATE})")
# A step that energises by itself: closing what is not an earth, removing an earth, racking a
# truck into its working position.
ENERGISING = re.compile(
    r"合上(?!.*接地)|拆除.*接地线|拉开.*接地(?:闸刀|刀闸)|摇至(?:运行|工作)位置"
)
# While the work goes on, the equipment is not to be put towards service.
WORK_GOING_ON = [WorkState.PERMITTED, WorkState.INTERRUPTED]


def _compact(text: str) -> str:
    return "".join(text.split())


def _named_in(equipment, text: str) -> bool:
    """OPS-15: ``text`` names ``equipment`` by its double name, written together (苏越线开关751)
    or with the number inside the name as the tickets write it (苏越线751开关)."""
    name, number = _compact(equipment.name), _compact(equipment.dispatch_number)
    if not number:
        return len(name) >= 2 and name in text
    return any(name[:i] + number + name[i:] in text for i in range(len(name) + 1))


def named_equipment(site, *texts: str) -> list:
    """The equipment of ``site`` that ``texts`` name by double name."""
    text = _compact(" ".join(texts))
    return [e for e in Equipment.objects.filter(site=site) if _named_in(e, text)]


def attach_equipment(ticket) -> None:
    """Give ``ticket`` all its equipment: its dispatch order's at the same station and what
    its task and steps name, besides what the filler chose (OPS-15, WORK-3)."""
    found = set(named_equipment(ticket.site, ticket.task, *(s.text for s in ticket.steps.all())))
    if ticket.order_id is not None:
        found.update(ticket.order.equipment.filter(site=ticket.site_id))
    if found:
        ticket.equipment.add(*found)


def _upwards(text: str) -> bool:
    return any(LADDER[b] > LADDER[a] for a, b in TRANSITION.findall(_compact(text)))


def towards_service(ticket, step) -> bool:
    """WORK-3: the task brings the equipment back up the ladder, or the step does."""
    return _upwards(ticket.task) or _upwards(step.text) or bool(ENERGISING.search(step.text))


@dataclass(frozen=True)
class Hold:
    """A work ticket still holding a piece of the ticket's equipment, with its tag if on."""

    equipment: Equipment
    work_ticket: WorkTicket
    tag: MaintenanceTag | None


def holds(ticket) -> list[Hold]:
    """The work tickets and tags holding the ticket's equipment now, less those the centre
    has overridden on this ticket (WORK-3)."""
    equipment = list(ticket.equipment.all())
    overridden = set(
        InterlockOverride.work_tickets.through.objects.filter(
            interlockoverride__ticket=ticket
        ).values_list("workticket_id", flat=True)
    )
    found: dict[tuple[int, int], Hold] = {}
    tags = MaintenanceTag.objects.filter(equipment__in=equipment, removed_at=None)
    for tag in tags.select_related("equipment", "work_ticket"):
        found[(tag.equipment_id, tag.work_ticket_id)] = Hold(tag.equipment, tag.work_ticket, tag)
    on_work = WorkTicket.equipment.through.objects.filter(
        equipment__in=equipment, workticket__state__in=WORK_GOING_ON
    ).select_related("equipment", "workticket")
    for link in on_work:
        found.setdefault(
            (link.equipment_id, link.workticket_id), Hold(link.equipment, link.workticket, None)
        )
    return [h for key, h in sorted(found.items()) if h.work_ticket.pk not in overridden]


def refuse_energising(ticket, step) -> None:
    """WORK-3: a step towards service waits until the work has ended and the tag is off,
    unless the centre has recorded an override; the refusal names the work ticket and tag."""
    if not towards_service(ticket, step):
        return
    found = holds(ticket)
    if not found:
        return
    hold = found[0]
    values = {
        "n": step.seq,
        "equipment": hold.equipment.double_name,
        "number": hold.work_ticket.number,
        "state": hold.work_ticket.get_state_display(),
    }
    if hold.tag is not None:
        message = _(
            "Step %(n)s puts %(equipment)s towards service while it carries the maintenance "
            "tag (检修牌) of work ticket %(number)s (%(state)s): end the work and remove the tag "
            "first, or the centre records an override (WORK-3)."
        )
    else:
        message = _(
            "Step %(n)s puts %(equipment)s towards service while work ticket %(number)s is "
            "%(state)s: end the work and remove the tag first, or the centre records an "
            "override (WORK-3)."
        )
    raise Refused(message % values, code="equipment_under_work", rule="WORK-3")


@transaction.atomic
def ticket_energise_override(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """WORK-3, DESIGN rule 8: the centre's chief operator (or the department head) decides,
    with a reason, that the ticket may put its equipment towards service although the work
    tickets holding it have not ended or their tags are on. The decision covers those work
    tickets for this ticket only; it is audited, shown on the ticket and in the duty log."""
    ticket = locked(OperationTicket.objects.select_related("centre", "site"), ticket_id, version)
    centre = ticket.centre
    require(actor, Action.OPS_OVERRIDE, centre)
    reason = validated(ReasonForm, data, centre=centre).cleaned_data["reason"]
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "override")
    found = holds(ticket)
    if not found:
        raise Refused(
            _("No work ticket or maintenance tag holds the equipment of %(number)s.")
            % {"number": ticket.number},
            code="nothing_to_override",
            rule="WORK-3",
        )
    override = InterlockOverride.objects.create(
        ticket=ticket, reason=reason, at=timezone.now(), by=actor
    )
    override.work_tickets.set({h.work_ticket for h in found})
    held = "、".join(
        f"{h.equipment.double_name} ({h.work_ticket.number}{' 检修牌' if h.tag else ''})"
        for h in found
    )
    ticket.version += 1
    ticket.save(update_fields=["version", "updated_at"])
    audit.record(
        actor=actor,
        source=source,
        verb="ticket.energise_override",
        obj=ticket,
        before=before,
        after={**audit.snapshot(ticket), "overridden": held},
        reason=reason,
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.OPERATION,
        site=ticket.site,
        at=override.at,
        regarding=ticket,
        text=_("%(number)s: interlock overridden by %(person)s for %(held)s: %(reason)s (WORK-3)")
        % {"number": ticket.number, "person": actor, "held": held, "reason": reason},
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket
