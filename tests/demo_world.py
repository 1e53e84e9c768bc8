"""The demo world the generated tests walk (ORG-3 scoping, DESIGN-1 versions): ``zhiban demo``
loaded inside the test's transaction, plus a record of each kind and state the demo does not
make, so every page and API path with an id finds a real record to act on. Also how a path
names its records (``models_named``) and the values of path parameters that are neither a
centre nor an id (``route_values``)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from zhiban.alarms import services as alarms
from zhiban.alarms.models import Alarm, AlarmState, IncidentKind, StepKind
from zhiban.core import services as core
from zhiban.core.actors import Source
from zhiban.core.models import Level
from zhiban.core.notify import notify
from zhiban.duty import services as duty
from zhiban.duty.models import CheckState, Handover, RosterEntry
from zhiban.ops import services as ops
from zhiban.ops.models import OperationTicket, TaskKind, TicketState, TypicalTicket
from zhiban.org import services as org_services
from zhiban.org.models import Centre, Equipment, Person
from zhiban.service.models import Case, CaseState, Department
from zhiban.service.services import cases
from zhiban.work import services as work
from zhiban.work.models import RemoteKind

CENTRE = "suwu"


def load() -> tuple[Centre, Person]:
    """The demo and the records it lacks; returns the power centre (suwu) and its
    administrator, who is also the platform administrator."""
    call_command("demo", stdout=io.StringIO())
    suwu = Centre.objects.get(code=CENTRE)
    admin = Person.objects.get(username="admin")
    _records_the_demo_lacks(suwu, admin)
    _states_the_demo_lacks(suwu, admin)
    _offered_handover(Centre.objects.get(code="xinghu"))
    _tickets_the_demo_lacks(suwu)
    _work_tickets_the_demo_lacks(suwu)
    _incident_to_judge(suwu)
    _place_to_sign_in(suwu, admin)
    _cases_to_act_on(Centre.objects.get(code="kefu"))
    _registers_to_act_on(suwu, admin)
    _emergency_to_act_on(suwu)
    _job_the_demo_lacks(suwu, admin)
    return suwu, admin


def _job_the_demo_lacks(centre, admin) -> None:
    """A finished job with its file (issue 15): the sites list exported as a job."""
    from django.http import QueryDict

    from zhiban.core import jobs
    from zhiban.org.resources import SITES

    jobs.run(jobs.export_start(actor=admin, centre=centre, resource=SITES, query=QueryDict()).pk)


def _records_the_demo_lacks(centre, admin) -> None:
    by = {"actor": admin, "source": Source.CLI, "centre": centre}
    shift = duty.current_shift(centre)
    mine = RosterEntry.objects.filter(shift=shift).first()
    later = RosterEntry.objects.filter(shift__centre=centre, shift__starts_at__gt=shift.starts_at)
    other = later.exclude(person=mine.person).first()
    duty.swap_request(**by, data={"first": mine.pk, "second": other.pk, "reason": "家中有事"})
    duty.handover_prepare(actor=mine.person, source=Source.CLI, centre=centre)
    duty.weather_start(**by, data={"kind": "typhoon", "reason": "台风预警"})
    equipment = Equipment.objects.filter(centre=centre).first()
    ops.lock_place(**by, data={"equipment": equipment.pk, "reason": "检修"})
    now = timezone.now()
    alarms.commissioning_create(
        **by,
        data={
            "equipment": equipment.pk,
            "starts_at": now,
            "ends_at": now + timedelta(hours=2),
            "note": "调试",
        },
    )
    core.chat_robot_create(
        **by,
        data={
            "name": "值班群",
            "channel": "wecom",
            "url": "https://robot.invalid/hook",
            "secret": "",
            "min_level": Level.INFO,
            "active": True,
        },
    )
    notify(actor=admin, source=Source.CLI, people=[admin], centre=centre, title="台风预警")
    org_services.api_token_create(actor=admin, source=Source.CLI, name="scoping", sources=[])


def _states_the_demo_lacks(centre, admin) -> None:
    """Records moved on to the states whose actions the demo does not offer: a person of the
    current shift signed in (DUTY-2), a shelved alarm (INC-2), a reviewed ticket (OPS-3)."""
    by = {"actor": admin, "source": Source.CLI}
    entry = RosterEntry.objects.filter(shift=duty.current_shift(centre)).first()
    duty.sign_in(actor=entry.person, source=Source.CLI, entry_id=entry.pk, version=entry.version)
    alarm = Alarm.objects.filter(centre=centre, state=AlarmState.UNACKED).first()
    until = timezone.localtime(timezone.now() + timedelta(hours=1), centre.tz)
    alarms.alarm_shelve(
        **by,
        alarm_id=alarm.pk,
        version=alarm.version,
        data={"reason": "调试中", "until": until.strftime("%Y-%m-%dT%H:%M")},
    )
    drafts = OperationTicket.objects.filter(centre=centre, state=TicketState.DRAFT)
    ticket = drafts.filter(continues=None).first()
    reviewer = Person.objects.filter(memberships__team=ticket.team_id).exclude(
        pk=ticket.filled_by_id
    )
    ops.ticket_review(
        actor=reviewer.first() if ticket.team_id else admin,
        source=Source.CLI,
        ticket_id=ticket.pk,
        version=ticket.version,
    )


def _offered_handover(centre) -> Handover:
    """The current shift's handover of a centre without blockers (DUTY-10), signed by the
    outgoing side with two abnormal checks: one item to acknowledge, one marked unclear for
    the outgoing side to clarify (DUTY-4)."""
    shift = duty.current_shift(centre)
    outgoing = RosterEntry.objects.filter(shift=shift).first().person
    incoming = RosterEntry.objects.filter(shift=duty.next_shift(shift)).first().person
    by = {"actor": outgoing, "source": Source.CLI}
    handover = duty.handover_prepare(**by, centre=centre)
    for check in handover.checks.all():
        handover = duty.handover_check(
            **by,
            handover_id=handover.pk,
            version=handover.version,
            check_id=check.pk,
            data={"state": CheckState.ABNORMAL, "note": f"{check.check_item}有缺损"},
        )
    handover = duty.handover_offer(**by, handover_id=handover.pk, version=handover.version)
    unclear = handover.items.first()
    duty.handover_item_mark_unclear(
        actor=incoming,
        source=Source.CLI,
        item_id=unclear.pk,
        version=unclear.version,
        data={"note": "缺损程度不清"},
    )
    return handover


def _people(*usernames) -> list[Person]:
    found = {p.username: p for p in Person.objects.filter(username__in=usernames)}
    return [found[name] for name in usernames]


def _minutes_ago(minutes: int):
    return timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=minutes)


def _tickets_the_demo_lacks(centre) -> None:
    """Operation tickets in the states whose acts the demo does not offer: a team ticket
    ordered and the centre not yet told (OPS-4), putting back into service a breaker that
    carries a work ticket's maintenance tag (override, WORK-3); the demo's continuation of the
    interrupted sequence control ordered, waiting for the dispatcher's consent (OPS-10); a
    sequence control of the centre executing (terminate OPS-7, interrupt OPS-10); and a draft
    to review (OPS-3), as the drafts of the demo are now reviewed or ordered."""
    chief, deputy, leader, field = _people("zhangwei", "liuyang", "zhaogang", "sunli")
    team = leader.memberships.get(centre=centre).team
    sites = {s.code: s for s in centre.sites.all()}
    typical = {t.name: t for t in TypicalTicket.objects.filter(centre=centre)}

    def ordered(ticket, by):
        ticket = ops.ticket_review(
            actor=by, source=Source.CLI, ticket_id=ticket.pk, version=ticket.version
        )
        return ops.ticket_order(
            actor=by,
            source=Source.CLI,
            ticket_id=ticket.pk,
            version=ticket.version,
            data={"issuer": "地调 王调度", "receiver": by.pk, "ordered_at": _minutes_ago(20)},
        )

    def team_ticket(name):
        return ops.ticket_create(
            actor=field,
            source=Source.CLI,
            centre=centre,
            data={
                "executor": "team",
                "team": team.pk,
                "site": typical[name].site_id,
                "task_kind": typical[name].task_kind,
                "typical": typical[name].pk,
                "operator": field.pk,
                "guardian": leader.pk,
                "in_charge": leader.pk,
            },
        )

    ordered(team_ticket("苏越线751开关检修转运行"), leader)
    team_ticket("苏越线751开关运行转检修")
    ordered(OperationTicket.objects.get(centre=centre, continues__isnull=False), leader)
    sequence = ops.ticket_create(
        actor=deputy,
        source=Source.CLI,
        centre=centre,
        data={
            "executor": "centre",
            "team": team.pk,
            "site": sites["YX110"].pk,
            "task_kind": TaskKind.LINE_MAINTENANCE,
            "task": "110kV吴东线752开关由运行转检修（顺控）",
            "steps": "拉开吴东线752开关\n检查吴东线752开关确已拉开",
            "sequence_control": True,
            "operator": deputy.pk,
            "guardian": chief.pk,
            "in_charge": chief.pk,
        },
    )
    sequence = ordered(sequence, chief)
    ops.ticket_tick(
        actor=deputy,
        source=Source.CLI,
        ticket_id=sequence.pk,
        version=sequence.version,
        data={"step": 1, "operator": deputy.pk, "guardian": chief.pk},
    )


def _work_tickets_the_demo_lacks(centre) -> None:
    """Work tickets of 吴中操作队 at 苏吴变 in the states whose acts the demo does not offer
    (WORK-1 … WORK-7): received with a safety measure to do (measure, permit, void); permitted
    before the tag (tag); interrupted (resume); work ended with the tag still on (untag, final
    check, end)."""
    chief, leader, field = _people("zhangwei", "zhaogang", "sunli")
    team = leader.memberships.get(centre=centre).team
    site = centre.sites.get(code="SW110")

    def carry(ticket, actor, call, **data):
        kwargs = {"data": data} if data else {}
        return call(
            actor=actor, source=Source.CLI, ticket_id=ticket.pk, version=ticket.version, **kwargs
        )

    def received(number, work_leader):
        return work.work_ticket_receive(
            actor=field,
            source=Source.CLI,
            centre=centre,
            data={
                "kind": "first",
                "team": team.pk,
                "site": site.pk,
                "equipment": [site.equipment.get(dispatch_number=number).pk],
                "task": f"10kV {number}开关柜检修",
                "location": f"苏吴变10kV高压室{number}开关柜",
                "planned_start": _minutes_ago(60),
                "planned_end": _minutes_ago(-360),
                "work_leader": work_leader,
                "crew_size": 2,
                "members": "检修一班：周涛",
                "issuer": "陈立新",
                "issued_at": _minutes_ago(24 * 60),
                "permitter": leader.pk,
                "safety_measures": f"拉开{number}开关并摇至检修位置",
            },
        )

    def permitted(number, work_leader):
        ticket = carry(received(number, work_leader), field, work.work_measure_done, seq=1)
        return carry(
            ticket,
            leader,
            work.work_permit,
            permitted_at=_minutes_ago(50),
            dispatcher="地调 王调度",
            permitter=leader.pk,
            centre_person=chief.pk,
        )

    received("111", "张立")
    permitted("112", "刘涛")
    interrupted = permitted("113", "陈浩")
    carry(interrupted, leader, work.work_interrupt, at=_minutes_ago(30), reason="雷雨暂停")
    ended = carry(permitted("131", "赵明"), chief, work.work_tag_place)
    work.work_remote_check(
        actor=chief,
        source=Source.CLI,
        ticket_id=ended.pk,
        data={
            "kind": RemoteKind.CONTROL_TEST,
            "points": "131开关遥控分合",
            "result": "ok",
            "at": _minutes_ago(15),
            "centre_checker": chief.pk,
            "team_checker": field.pk,
        },
    )
    ended.refresh_from_db()
    carry(ended, leader, work.work_end, at=_minutes_ago(10), acceptance="检修完毕，试验合格")


def _incident_to_judge(centre) -> None:
    """An exceedance verified on site, its verdict still to be given (INC-9)."""
    chief = _people("zhangwei")[0]
    incident = alarms.incident_open(
        actor=chief,
        source=Source.CLI,
        centre=centre,
        data={
            "kind": IncidentKind.EXCEEDANCE,
            "site": centre.sites.get(code="SW110").pk,
            "title": "1号主变油温越限",
            "opened_at": _minutes_ago(30),
        },
    )
    for minutes, kind, extra in [
        (28, StepKind.LOCATED, {"location": "苏吴变1号主变"}),
        (26, StepKind.PATROL_SENT, {"counterpart": "吴中操作队 赵刚"}),
        (20, StepKind.VERIFIED, {"text": "油温表计指示正常，监控测点有误"}),
    ]:
        alarms.incident_step_record(
            actor=chief,
            source=Source.CLI,
            incident_id=incident.pk,
            version=incident.version,
            data={"kind": kind, "at": _minutes_ago(minutes), **extra},
        )
        incident.refresh_from_db()


def _place_to_sign_in(centre, admin) -> None:
    """A person of the centre put on the current shift, not yet signed in (DUTY-1, DUTY-2)."""
    shift = duty.current_shift(centre)
    duty.roster_assign(
        actor=admin,
        source=Source.CLI,
        centre=centre,
        data={
            "pattern": shift.pattern_id,
            "day": shift.day,
            "person": _people("zhoujie")[0].pk,
            "post": "值班员",
        },
    )


# --- how paths name the records -----------------------------------------------------------------


def _cases_to_act_on(centre) -> None:
    """The hotline's last changed cases: one routed to a department with a head, its result
    due (CS-2), and a new web lead nobody owns yet (CS-6)."""
    agent, supervisor = _people("linxiao", "tangyu")
    case = Case.objects.filter(centre=centre, owner=agent, state=CaseState.OPEN).first()
    department = Department.objects.filter(centre=centre, active=True).exclude(head=None).first()
    cases.case_route(
        actor=agent,
        source=Source.CLI,
        case_id=case.pk,
        version=case.version,
        data={"department": department.pk, "note": "请核实"},
    )
    lead = {"phone": "13962129999", "name": "网上留言客户", "channel": "web"}
    cases.contact_record(
        actor=supervisor,
        source=Source.CLI,
        centre=centre,
        data={**lead, "category": "consultation", "content": "网上留言：订奶", "case": ""},
    )


def _emergency_to_act_on(centre) -> None:
    """A running plan at the power centre with its items open and its report not yet written,
    so the tick, skip, report and close of a run are offered (EMG-1, EMG-2); not at xinghu,
    whose administrator is the stranger of the generated scoping test."""
    from zhiban.emergency import services as emergency
    from zhiban.emergency.models import EmergencyPlan, Scenario

    plan = EmergencyPlan.objects.get(centre=centre, scenario=Scenario.STATION_BLACKOUT)
    chief = Person.objects.get(username="zhangwei")
    emergency.run_start(
        actor=chief,
        source=Source.CLI,
        centre=centre,
        data={"plan": plan.pk, "event": "横泾变全站失压"},
    )


def _registers_to_act_on(centre, admin) -> None:
    """A footage request and a screen use awaiting approval, and visitors awaiting approval,
    approved and in the room, so approve, refuse, access, arrive and leave are offered
    (REG-1, REG-2, REG-9); at the power centre (its big screen and station cameras), not at
    xinghu, whose administrator is the stranger of the generated scoping test."""
    from zhiban.registers.services import footage, screens, visitors

    by = {"actor": admin, "source": Source.CLI}
    site = centre.sites.order_by("code").first()
    camera = org_services.equipment_create(
        **by,
        centre=centre,
        data={"site": site.pk, "kind": "camera", "name": "站内1号摄像机", "active": True},
    )
    now = timezone.now()
    footage.footage_request_create(
        **by,
        centre=centre,
        data={
            "requester_name": "王工",
            "requester_unit": "运维检修部",
            "reason": "核查站内设备异常时段画面",
            "site": site.pk,
            "camera": camera.pk,
            "span_from": now - timedelta(hours=5),
            "span_until": now - timedelta(hours=4),
            "window_from": now,
            "window_until": now + timedelta(days=1),
        },
    )
    screens.screen_use_create(
        **by,
        centre=centre,
        data={
            "kind": "big_screen",
            "used_by": "张伟",
            "purpose": "迎峰度夏视频会议",
            "starts_at": now + timedelta(hours=1),
            "ends_at": now + timedelta(hours=2),
        },
    )
    for name, steps in [("刘明", 0), ("陈亮", 1), ("周杰", 2)]:
        visitor = visitors.visitor_create(
            **by,
            centre=centre,
            data={"name": name, "organisation": "省电力设计院", "reason": "调研", "escort": "张伟"},
        )
        if steps:
            visitor = visitors.visitor_decide(
                **by, pk=visitor.pk, version=visitor.version, approve=True, data={}
            )
        if steps > 1:
            visitors.visitor_arrive(**by, visitor_id=visitor.pk, version=visitor.version, data={})


def route_values() -> dict:
    """Values for parameters that are neither a centre nor an id, per route, taken from the
    registries that define them; a generated test fails on a route with such a parameter and
    no entry here."""
    from zhiban.core import console
    from zhiban.duty.views import HANDOVER_ACTIONS, ITEM_ACTIONS
    from zhiban.ops.views import ACTS
    from zhiban.work.views import ACTS as WORK_ACTS

    imports = [{"kind": "sites"}]  # org import: sites | equipment
    months = [{"month": f"{timezone.localdate():%Y-%m}"}]  # the monthly report (RPT-1)
    days = [{"day": f"{timezone.localdate():%Y-%m-%d}"}]  # the daily log (RPT-1)
    return {
        "/api/centres/{code}/import/{kind}": imports,
        "/c/<str:code>/org/import/<str:kind>/": imports,
        "/c/<str:code>/org/import/<str:kind>/template.xlsx": imports,
        "/c/<str:code>/panel/<str:key>/": [{"key": p.key} for p in console.panels()],
        "/api/centres/{code}/reports/monthly/{month}": months,
        "/api/centres/{code}/reports/monthly/{month}.pdf": months,
        "/api/centres/{code}/reports/monthly/{month}.xlsx": months,
        "/c/<str:code>/reports/monthly/<str:month>/": months,
        "/c/<str:code>/reports/monthly/<str:month>.pdf": months,
        "/c/<str:code>/reports/monthly/<str:month>.xlsx": months,
        "/c/<str:code>/reports/monthly/<str:month>/prepare-pdf/": months,
        "/c/<str:code>/reports/daily/<str:day>/": days,
        "/c/<str:code>/reports/daily/<str:day>/pdf/": days,
        "/c/<str:code>/reports/daily/<str:day>/xlsx/": days,
        "/api/centres/{code}/reports/daily/{day}": days,
        "/api/centres/{code}/reports/daily/{day}/pdf": days,
        "/api/centres/{code}/reports/daily/{day}/xlsx": days,
        "/c/<str:code>/duty/handovers/<int:pk>/<str:action>/": [
            {"action": a} for a in [*HANDOVER_ACTIONS, *ITEM_ACTIONS]
        ],
        "/c/<str:code>/ops/<opskind:kind>/<int:pk>/act/<str:key>/": [
            {"kind": kind, "key": key} for kind, acts in ACTS.items() for key in acts
        ],
        "/c/<str:code>/ops/<workkind:kind>/<int:pk>/act/<str:key>/": [
            {"kind": kind, "key": key} for kind, acts in WORK_ACTS.items() for key in acts
        ],
    }


def _singular(segment: str) -> str:
    word = segment.replace("-", "").replace("_", "").lower()
    if word == "people":
        return "person"
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def models_named(segment: str) -> list:
    """Models whose name matches the path segment: exact, then ending, starting, containing."""
    word = _singular(segment)
    ranked = []
    for model in apps.get_models():
        if not model.__module__.startswith("zhiban."):
            continue
        name = model.__name__.lower()
        for rank, hit in enumerate(
            (name == word, name.endswith(word), name.startswith(word), word in name)
        ):
            if hit:
                ranked.append((rank, name, model))
                break
    ranked.sort(key=lambda r: (r[0], r[1], r[2]._meta.label))  # two apps may share a name
    return [model for _rank, _name, model in ranked]
