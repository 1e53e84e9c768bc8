"""The interlock of operation ticket ↔ maintenance tag ↔ work ticket (WORK-3, DESIGN rule 8).

Every operation ticket knows its equipment however it was made (OPS-15): what the filler chose,
the equipment of its dispatch order, and the station's equipment its task and steps name by
double name (a typical ticket's task and steps included) — also a ticket made before that was
recorded, whose equipment is found again when it is checked.

While a work ticket on that equipment is still permitted or interrupted, or its maintenance tag
(检修牌) is on, the interlock FAILS CLOSED: a step goes only if it clearly takes equipment out of
service — down the ladder 运行 → 热备用 → 冷备用 → 检修 (由运行转检修, 由运行状态转为热备用状态),
拉开/断开 a breaker or disconnector, 合上 an earth switch, 装设 an earth, 验电, 挂牌, 设置围栏,
取下 a fuse, 退出 a protection, racking a truck out — or is a check that does nothing
(检查…, 核对…, 汇报…, with 确已合上/确在分位 read as a state, not an act). Every other step is
refused, even one that names no held equipment: steps often write equipment by number only
(751开关), and a wording this module does not know may be the one that energises. So is every
step when the task goes up the ladder (由检修转运行, 恢复送电, 投运, …). Decided so because a
false refusal is recovered by the centre's audited override, a false pass energises a tagged
line. The work has to end (工作终结) and the centre remove the tag (WORK-4), or the centre records
an override with its reason: audited, shown on the ticket and written to the duty log.
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
from zhiban.core.services import locked, save_change, validated
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import Equipment
from zhiban.work.forms import ReasonForm
from zhiban.work.models import MaintenanceTag, WorkState, WorkTicket

from .models import InterlockOverride, OperationTicket

# The operating states of equipment, from out of service to in service (设备状态).
LADDER = {"检修": 0, "冷备用": 1, "热备用": 2, "运行": 3}
_STATE = "|".join(LADDER)
# 检修转运行, 由检修状态转为运行状态, 从冷备用改为热备用, 由热备用状态恢复至运行状态, 检修→运行 …
TRANSITION = re.compile(
    rf"({_STATE})(?:状态)?(?:(?:转换?|改|倒|恢复|调整|变更)(?:为|至|到|成)?|→|->|—>|至|到)"
    rf"({_STATE})"
)
# Words that bring equipment into service without naming states (whole text, not clauses).
SERVICE = re.compile(r"送电|充电|投运|投入运行|复役|恢复运行|恢复供电|合环|并列|并网")
# Acts that energise by themselves (per clause): removing or opening an earth, racking a truck
# into its working position, putting control power back, taking a sign or fence away, closing.
ENERGISING = re.compile(
    r"(?:拆|取下)(?:(?!装设|挂)\S)*接地线|(?:拉开|断开)(?:(?!合上)\S)*(?:接地(?:刀闸|闸刀|开关)|地刀)"
    r"|(?:摇|推|送)(?:至|到|入)(?:运行|工作)位置|(?:装上|放上|给上|送上|投上)(?!\S*接地)"
    r"|(?:取下|拆除|摘下|收回)\S*(?:标示牌|检修牌|围栏|遮栏)|(?<![止重])合闸"
)
# Acts that take equipment out of service (per clause; an earth's opening is caught above).
OUT_OF_SERVICE = re.compile(
    r"拉开|断开|分闸|分开|拉出|摇出|合上\S*(?:接地|地刀)|(?:装设|挂设|挂接)\S*接地线|验电|验明"
    r"|挂\S*牌|(?:设置|装设)\S*(?:围栏|遮栏)|(?:摇|拉|推|移)(?:至|到)(?:试验|检修|冷备用)位置"
    r"|取下|退出|停用|停电|停运|停役|放电"
)
# Any other act: a clause with one of these and none above is not clearly out of service.
ACTS = re.compile(
    r"合上|(?<![止重])合闸|拆|装设|装上|安装|放上|给上|送上|投上|摇|推至|推入|推到|拉至|移至"
    r"|切至|切换|投入|启用|解除|短接"
)
# A step that only looks and tells (检查…, 核对…); 确已合上, 确在分闸位置 state, not act.
CHECK = re.compile(
    r"检查|核对|确认|核实|核查|查看|巡视|汇报|报告|记录|抄录|联系|询问|通知|告知|复诵|等待|待令"
)
CONFIRMED = re.compile(
    r"[已在](?:转为?|改为?)?(?:合上|拉开|断开|合好|拉好|合位|分位|合闸|分闸|运行|工作|试验|检修"
    r"|冷备用|热备用|拆除|装设|悬挂|取下|装上|投入|退出)(?:位置|状态)?"
)
# The words of a sign (“禁止合闸，有人工作！”) are not acts.
SIGN = re.compile(r"[“\"「『‘'][^”\"」』’']*[”\"」』’']|禁止合闸[，,]?(?:线路)?有人工作[!！]?")
CLAUSE = re.compile(r"[，,；;。]|然后|并且")
CLOSE = re.compile(r"合上(\S*)")
SWITCH = re.compile(r"接地(?:刀闸|闸刀|开关)|地刀|开关|断路器|刀闸|闸刀|空开|熔断器|熔丝|电源|压板")
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


def _found_equipment(ticket) -> set:
    """OPS-15: what the ticket's dispatch order at its station and its task and steps name."""
    found = set(named_equipment(ticket.site, ticket.task, *(s.text for s in ticket.steps.all())))
    if ticket.order_id is not None:
        found.update(ticket.order.equipment.filter(site=ticket.site_id))
    return found


def attach_equipment(ticket) -> None:
    """Give ``ticket`` all its equipment: its dispatch order's at the same station and what
    its task and steps name, besides what the filler chose (OPS-15, WORK-3)."""
    found = _found_equipment(ticket)
    if found:
        ticket.equipment.add(*found)


def _plain(text: str) -> str:
    """The text without spaces, the words of signs, and the states it checks (WORK-3)."""
    return CONFIRMED.sub("", SIGN.sub("", _compact(text)))


def _moves(text: str) -> set[str]:
    """The directions the text's transitions take on the ladder: "up", "down"."""
    return {"up" if LADDER[b] > LADDER[a] else "down" for a, b in TRANSITION.findall(text)}


def _closes_live(clause: str) -> bool:
    """合上 something that is not only an earth switch (合上75130、75110接地闸刀 is not)."""
    for closed in CLOSE.findall(clause):
        switches = SWITCH.findall(closed)
        if not switches and "接地" not in closed:
            return True
        if any(not s.startswith(("接地", "地刀")) for s in switches):
            return True
    return False


def _acts(clause: str) -> bool:
    """The clause does something (检查无误后对苏越线充电 does; 检查…确已合上 does not)."""
    return any(p.search(clause) for p in (ACTS, OUT_OF_SERVICE, ENERGISING, SERVICE, TRANSITION))


def _only_checks(text: str) -> bool:
    return bool(CHECK.match(text)) and not _acts(text)


def _towards_service(text: str) -> bool:
    """WORK-3: the text brings equipment up the ladder or energises it."""
    if _only_checks(text):
        return False
    if "up" in _moves(text) or SERVICE.search(text):
        return True
    return any(ENERGISING.search(c) or _closes_live(c) for c in CLAUSE.split(text))


def _out_of_service(text: str) -> bool:
    """WORK-3: every act of the step takes equipment down the ladder (and it has one)."""
    acting = [c for c in CLAUSE.split(text) if _acts(c)]
    return bool(acting) and all(OUT_OF_SERVICE.search(c) or _moves(c) == {"down"} for c in acting)


@dataclass(frozen=True)
class Hold:
    """A work ticket still holding a piece of the ticket's equipment, with its tag if on."""

    equipment: Equipment
    work_ticket: WorkTicket
    tag: MaintenanceTag | None


def holds(ticket) -> list[Hold]:
    """The work tickets and tags holding the ticket's equipment now — also what it names but
    never recorded (a ticket made before OPS-15 was kept) — less those the centre has
    overridden on this ticket (WORK-3)."""
    equipment = set(ticket.equipment.all()) | _found_equipment(ticket)
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
    """WORK-3: while work tickets or tags hold the ticket's equipment, a step goes only if it
    clearly takes equipment out of service or only checks, and the task does not go up the
    ladder; the refusal names the work ticket and tag, the centre may override."""
    task, text = _plain(ticket.task), _plain(step.text)
    up = _towards_service(task) or _towards_service(text)
    if not up and (_only_checks(text) or _out_of_service(text)):
        return
    found = holds(ticket)
    if not found:
        return
    hold = found[0]
    values = {"number": hold.work_ticket.number, "state": hold.work_ticket.get_state_display()}
    if hold.tag is not None:
        held = _("it carries the maintenance tag (检修牌) of work ticket %(number)s (%(state)s)")
    else:
        held = _("work ticket %(number)s is %(state)s")
    values = {"n": step.seq, "equipment": hold.equipment.double_name, "held": held % values}
    if up:
        message = _(
            "Step %(n)s puts %(equipment)s towards service while %(held)s: end the work and "
            "remove the tag first, or the centre records an override (WORK-3)."
        )
    else:
        message = _(
            "Step %(n)s does not clearly take %(equipment)s out of service and %(held)s: end "
            "the work and remove the tag first, or the centre records an override (WORK-3)."
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
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.energise_override",
        before=before,
        reason=reason,
        noted={"overridden": held},
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.OPERATION,
        site=ticket.site,
        at=override.at,
        regarding=ticket,
        verb="ticket.energise_override",
        params={"number": ticket.number, "person": actor, "held": held, "reason": reason},
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket
