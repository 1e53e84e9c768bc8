"""Roles and the one permission table (ORG-3, DESIGN rule 2).

A person holds roles per centre or per team (``org.Membership``). What a role may do is
declared here, once, as role × action; views, the API and services all ask ``allows``.
The table is shown read-only at /manage/permissions/.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The login roles of DOMAIN.md. Dispatchers and the telecontrol team are outside parties:
    the system records what they said, they do not log in."""

    CHIEF_OPERATOR = "chief_operator", _("Chief operator (正值)")
    DEPUTY_OPERATOR = "deputy_operator", _("Deputy operator (副值)")
    FIELD_OPERATOR = "field_operator", _("Field operator (操作队员)")
    TEAM_LEADER = "team_leader", _("Team / shift leader (队长/总值)")
    GUARD = "guard", _("Guard / patrol post (巡逻岗)")
    CS_AGENT = "cs_agent", _("CS agent (客服专员)")
    CS_GROUP_LEAD = "cs_group_lead", _("CS group lead (接线员组长)")
    CS_SUPERVISOR = "cs_supervisor", _("CS supervisor (客服主管)")
    DEPARTMENT_HEAD = "department_head", _("Department head (部门负责人)")
    MANAGER = "manager", _("Manager (领导)")
    ADMIN = "admin", _("Administrator (管理员)")
    GATEWAY = "gateway", _("Ingestion gateway account (接入网关)")


class Action(models.TextChoices):
    """Everything a role can be allowed to do. Later capabilities add their actions here."""

    ORG_VIEW = "org.view", _("See the centre, its teams, sites, equipment and people")
    ORG_MANAGE = "org.manage", _("Change the centre's settings, teams, sites and equipment")
    PEOPLE_MANAGE = "people.manage", _("Add people and change their roles")
    AUDIT_VIEW = "audit.view", _("Read the audit trail and object timelines")
    AUDIT_VERIFY = "audit.verify", _("Verify the audit chain")
    PHONE_RECORD = "phone.record", _("Record phone contacts and read-backs")
    DEADLINE_MANAGE = "deadline.manage", _("Set deadlines and mark them met")
    WEBHOOK_MANAGE = "webhook.manage", _("Configure chat robots (WeCom, DingTalk, Feishu)")
    DUTY_PLAN = "duty.plan", _("Plan shifts and the roster, configure handover checks")
    DUTY_APPROVE_SWAP = "duty.approve_swap", _("Approve shift swaps (shift leader)")
    DUTY_SERVE = "duty.serve", _("Sign in and out, hand over, keep the duty log")
    DUTY_WEATHER = "duty.weather", _("Switch severe-weather mode on and off")
    OPS_RECEIVE_ORDER = "ops.receive_order", _("Receive dispatch pre-orders (正值, OPS-1)")
    OPS_DISPATCH = "ops.dispatch", _("Pass orders on, record formal orders and questions")
    OPS_FILL = "ops.fill", _("Fill operation tickets")
    OPS_REVIEW = "ops.review", _("Review operation tickets")
    OPS_EXECUTE = "ops.execute", _("Execute operation tickets and record single operations")
    OPS_LOCK = "ops.lock", _("Lock and release equipment in the monitoring system (OPS-5)")
    OPS_ASSESS = "ops.assess", _("Assess tickets as qualified or not (OPS-14)")
    OPS_LIBRARY = "ops.library", _("Keep the typical-ticket library (典型票)")
    OPS_OVERRIDE = (
        "ops.override",
        _("Override the interlock of tagged equipment, with a reason (WORK-3)"),
    )
    WORK_HOLD = "work.hold", _("Receive and carry work tickets (operations team, WORK-1)")
    WORK_TAG = "work.tag", _("Place and remove maintenance tags, set new limits (WORK-2, WORK-6)")
    WORK_CHECK = "work.check", _("Record four-remote checks and remote-control tests (WORK-4)")
    WORK_RECORD = "work.record", _("Record limit changes and setting-sheet receipts (WORK-6)")
    INCIDENT_MANAGE = "incident.manage", _("Register incidents, record their steps, close them")
    EVENT_INGEST = "event.ingest", _("Send alarm events from outside systems (INC-1)")
    ALARM_ACK = "alarm.ack", _("Acknowledge alarms (INC-2)")
    ALARM_SHELVE = "alarm.shelve", _("Shelve and unshelve alarms (INC-2)")
    ALARM_CONFIGURE = (
        "alarm.configure",
        _("Configure alarm sources and commissioning (INC-1, INC-2)"),
    )
    ACCIDENT_RECORD = "accident.record", _("Write accident records (INC-5)")
    SERVICE_INTAKE = (
        "service.intake",
        _("Record customer contacts, take, answer, transfer and close cases (CS-1 … CS-6)"),
    )
    SERVICE_RESULT = "service.result", _("Report a department's result on a case (CS-2)")
    SERVICE_HANDOFF = "service.handoff", _("Hand the day's orders to the sales desks (CS-3)")
    SERVICE_CAMPAIGN = (
        "service.campaign",
        _("Create return-visit campaigns and surveys, approve offers (CS-7 … CS-9)"),
    )
    SERVICE_RECORDS = (
        "service.records",
        _("Import the shops' customer records and spot-check them (CS-10)"),
    )
    SERVICE_CONFIGURE = (
        "service.configure",
        _("Keep departments, agents' skills and scripts (CS-2, CS-7, CS-11)"),
    )
    CALL_INGEST = "call.ingest", _("Send call events from the telephone system")
    PATROL_PLAN = "patrol.plan", _("Keep patrol plans and their checkpoints (PAT-1)")
    PATROL_WALK = "patrol.walk", _("Walk patrol rounds and record their results (PAT-2)")
    PATROL_ANSWER = (
        "patrol.answer",
        _("Answer a field operator's question before a station patrol (PAT-4)"),
    )
    REGISTER_KEEP = "register.keep", _("Keep the registers of the room or desk (REG-1 … REG-9)")
    REGISTER_APPROVE = (
        "register.approve",
        _("Approve visitors' entry, footage access and big-screen use (REG-1, REG-2, REG-9)"),
    )
    EMERGENCY_PLAN = "emergency.plan", _("Keep the emergency plans (EMG-1)")
    EMERGENCY_RUN = (
        "emergency.run",
        _("Start emergency plans, tick their items, write emergency reports (EMG-1, EMG-2)"),
    )
    DEFECT_REPORT = "defect.report", _("Report defects (DEF-1)")
    DEFECT_HANDLE = (
        "defect.handle",
        _("Classify, assign, eliminate, verify and close the defects one handles (DEF-1, DEF-2)"),
    )
    COUNTER_ENTER = (
        "counter.enter",
        _("Enter and import month-end operation counts (centre, CNT-1, CNT-3)"),
    )
    COUNTER_LIMIT = "counter.limit", _("Keep the limits of operation counters (team, CNT-1)")
    ACCEPTANCE_PREPARE = (
        "acceptance.prepare",
        _("Import point tables, prepare acceptance sheets, name checkers, close (ACC-2, ACC-4)"),
    )
    ACCEPTANCE_CHECK = (
        "acceptance.check",
        _("Tick acceptance points as a named checker, sign stage acceptances (ACC-2, ACC-4)"),
    )
    REPORT_VIEW = (
        "report.view",
        _("Read the shift reports, daily logs, monthly reports and dashboards (RPT-1, RPT-4)"),
    )
    REPORT_SUBSCRIBE = (
        "report.subscribe",
        _("Subscribe people to the monthly report and the daily log (RPT-1)"),
    )


R = Role
_EVERYONE = frozenset(Role)
_OPERATORS = frozenset(
    {
        R.CHIEF_OPERATOR,
        R.DEPUTY_OPERATOR,
        R.FIELD_OPERATOR,
        R.TEAM_LEADER,
        R.GUARD,
        R.CS_AGENT,
        R.CS_GROUP_LEAD,
        R.CS_SUPERVISOR,
        R.ADMIN,
    }
)
_FIELD_AND_CENTRE = frozenset(
    {R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR, R.TEAM_LEADER, R.FIELD_OPERATOR}
)
_CS = frozenset({R.CS_AGENT, R.CS_GROUP_LEAD, R.CS_SUPERVISOR})
_DESK = frozenset({R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR, R.TEAM_LEADER, R.GUARD})
_PLANNERS = frozenset(
    {R.CHIEF_OPERATOR, R.TEAM_LEADER, R.CS_GROUP_LEAD, R.CS_SUPERVISOR, R.DEPARTMENT_HEAD, R.ADMIN}
)
_SUPERVISORS = frozenset(
    {
        R.CHIEF_OPERATOR,
        R.TEAM_LEADER,
        R.CS_GROUP_LEAD,
        R.CS_SUPERVISOR,
        R.DEPARTMENT_HEAD,
        R.MANAGER,
        R.ADMIN,
    }
)

PERMISSIONS: dict[str, frozenset[Role]] = {
    Action.ORG_VIEW: _EVERYONE,
    Action.ORG_MANAGE: frozenset({R.ADMIN}),
    Action.PEOPLE_MANAGE: frozenset({R.ADMIN}),
    Action.AUDIT_VIEW: _EVERYONE,
    Action.AUDIT_VERIFY: frozenset({R.ADMIN, R.DEPARTMENT_HEAD, R.MANAGER}),
    Action.PHONE_RECORD: _OPERATORS,
    Action.DEADLINE_MANAGE: _SUPERVISORS | {R.DEPUTY_OPERATOR},
    Action.WEBHOOK_MANAGE: frozenset({R.ADMIN}),
    Action.DUTY_PLAN: _PLANNERS,
    Action.DUTY_APPROVE_SWAP: _PLANNERS,
    Action.DUTY_SERVE: _OPERATORS,
    Action.OPS_RECEIVE_ORDER: frozenset({R.CHIEF_OPERATOR}),
    Action.OPS_DISPATCH: _FIELD_AND_CENTRE,
    Action.OPS_FILL: _FIELD_AND_CENTRE,
    Action.OPS_REVIEW: frozenset({R.CHIEF_OPERATOR, R.TEAM_LEADER, R.FIELD_OPERATOR}),
    Action.OPS_EXECUTE: _FIELD_AND_CENTRE,
    Action.OPS_LOCK: frozenset({R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR}),
    Action.OPS_ASSESS: frozenset({R.CHIEF_OPERATOR, R.TEAM_LEADER, R.DEPARTMENT_HEAD}),
    Action.OPS_LIBRARY: frozenset({R.CHIEF_OPERATOR, R.TEAM_LEADER, R.ADMIN}),
    # WORK-3: the centre places and removes the tag (WORK-2, WORK-4) and its chief operator
    # takes the dispatcher's orders and consents to operating (OPS-1, OPS-4), so operating past
    # a tag is his decision, or the department head's above him — never the team's whose
    # operation the interlock guards, nor the deputy's, who fills what the chief reviews (OPS-3).
    Action.OPS_OVERRIDE: frozenset({R.CHIEF_OPERATOR, R.DEPARTMENT_HEAD}),
    Action.WORK_HOLD: frozenset({R.TEAM_LEADER, R.FIELD_OPERATOR}),
    Action.WORK_TAG: frozenset({R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR}),
    Action.WORK_CHECK: _FIELD_AND_CENTRE,
    Action.WORK_RECORD: _FIELD_AND_CENTRE,
    Action.INCIDENT_MANAGE: _FIELD_AND_CENTRE | {R.GUARD},
    Action.EVENT_INGEST: frozenset({R.GATEWAY, R.ADMIN}),
    Action.ALARM_ACK: _DESK,
    Action.ALARM_SHELVE: frozenset({R.CHIEF_OPERATOR, R.TEAM_LEADER}),
    Action.ALARM_CONFIGURE: frozenset({R.CHIEF_OPERATOR, R.TEAM_LEADER, R.ADMIN}),
    Action.ACCIDENT_RECORD: frozenset({R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR}),
    Action.SERVICE_INTAKE: _CS,
    Action.SERVICE_RESULT: _CS | {R.DEPARTMENT_HEAD, R.TEAM_LEADER, R.MANAGER},
    Action.SERVICE_HANDOFF: frozenset({R.CS_GROUP_LEAD, R.CS_SUPERVISOR}),
    Action.SERVICE_CAMPAIGN: frozenset({R.CS_GROUP_LEAD, R.CS_SUPERVISOR, R.DEPARTMENT_HEAD}),
    Action.SERVICE_RECORDS: frozenset({R.CS_SUPERVISOR, R.MANAGER}),
    Action.SERVICE_CONFIGURE: frozenset({R.CS_SUPERVISOR, R.ADMIN}),
    Action.CALL_INGEST: frozenset({R.GATEWAY, R.ADMIN}),
    Action.PATROL_PLAN: _PLANNERS,
    Action.PATROL_WALK: _OPERATORS,
    Action.PATROL_ANSWER: frozenset({R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR, R.TEAM_LEADER}),
    Action.REGISTER_KEEP: _OPERATORS,
    # REG-1, REG-2: "a named department leader" approves; the manager above him may too
    Action.REGISTER_APPROVE: frozenset({R.DEPARTMENT_HEAD, R.MANAGER}),
    Action.EMERGENCY_PLAN: _PLANNERS,
    Action.EMERGENCY_RUN: _OPERATORS | {R.DEPARTMENT_HEAD, R.MANAGER},
    Action.DEFECT_REPORT: _FIELD_AND_CENTRE | {R.DEPARTMENT_HEAD, R.ADMIN},
    # DEF-2: who may act on a defect is further limited to its owner (team or centre)
    Action.DEFECT_HANDLE: _FIELD_AND_CENTRE | {R.DEPARTMENT_HEAD},
    # the seed's MIS notes 六、七: the centre enters the counts, the team keeps the limits
    Action.COUNTER_ENTER: frozenset({R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR}),
    Action.COUNTER_LIMIT: frozenset({R.TEAM_LEADER, R.FIELD_OPERATOR}),
    Action.ACCEPTANCE_PREPARE: frozenset(
        {R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR, R.TEAM_LEADER, R.DEPARTMENT_HEAD, R.ADMIN}
    ),
    Action.ACCEPTANCE_CHECK: _FIELD_AND_CENTRE | {R.DEPARTMENT_HEAD},
    Action.REPORT_VIEW: _EVERYONE - {R.GATEWAY},
    Action.REPORT_SUBSCRIBE: frozenset(
        {R.CHIEF_OPERATOR, R.TEAM_LEADER, R.CS_SUPERVISOR, R.DEPARTMENT_HEAD, R.MANAGER, R.ADMIN}
    ),
    Action.DUTY_WEATHER: frozenset(
        {R.CHIEF_OPERATOR, R.DEPUTY_OPERATOR, R.TEAM_LEADER, R.DEPARTMENT_HEAD, R.MANAGER, R.ADMIN}
    ),
}

# Roles told when a deadline is breached, then escalated to (core.deadlines).
ESCALATION_FIRST = frozenset({R.CHIEF_OPERATOR, R.TEAM_LEADER, R.CS_GROUP_LEAD, R.CS_SUPERVISOR})
ESCALATION_SECOND = frozenset({R.DEPARTMENT_HEAD, R.MANAGER})


def roles_allow(roles: set[str] | frozenset[str], action: str) -> bool:
    allowed = PERMISSIONS.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}: add it to core.permissions.PERMISSIONS")
    return bool(set(roles) & allowed)


def table() -> list[tuple[Action, list[bool]]]:
    """The matrix for the read-only page: one row per action, one column per role."""
    return [(action, [role in PERMISSIONS[action] for role in Role]) for action in Action]
