"""Return-visit campaigns (回访, CS-7) and the follow-up offer (CS-9): a campaign created from
a rule and assigned evenly across the agents by load and skill, the calls recorded on each
agent's call list (rest hours warned, no answer retried in another window), entries moved to
another agent, the offer made with who approved it, the campaign finished — a members
campaign only at 100 % coverage — and the agents' skills kept."""

from __future__ import annotations

import heapq
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.actors import SCHEDULER, is_system
from zhiban.core.errors import Forbidden, InvalidInput, Refused
from zhiban.core.models import Deadline, DeadlineState
from zhiban.core.notify import Message, notify
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import grants, is_platform_admin, require
from zhiban.core.services import (
    content_type_of,
    deadline_meet,
    deadline_set,
    locked,
    save_change,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from .. import resthours
from ..forms.campaigns import AgentSkillForm, CallForm, CampaignForm, OfferForm, ReassignForm
from ..models import (
    DONE_RESULTS,
    AgentSkill,
    CallAttempt,
    CallResult,
    Campaign,
    CampaignMember,
    CampaignRule,
    CampaignState,
    Skill,
)
from ..selectors.campaigns import (
    MISSING_SHOWN,
    OPEN_RESULTS,
    agent_loads,
    campaign_agents,
    campaign_selection,
)
from . import surveys

DEADLINE_NAME = "回访完成 (CS-7)"  # the deadline pages show it in the centre's language
OFFER_AFTER = timedelta(days=2)  # CS-9: a lead's offer only two days after the lead
CALLERS_BESIDE_AGENT = frozenset({Role.CS_GROUP_LEAD, Role.CS_SUPERVISOR})


class CoverageMissing(Refused):
    """CS-7: a members campaign below 100 % coverage; the answer lists the entries not yet
    visited (``missing``, the first 500) beside the message."""

    def __init__(self, message, *, rule: str, missing: list[int]):
        super().__init__(message, code="coverage", rule=rule)
        self.extra = {"missing": missing}


def _person(actor):
    return None if is_system(actor) else actor


# --- creating and assigning (CS-7) ---------------------------------------------------------------


def assign_evenly(customers: list, agents: list, loads: dict[int, int]) -> list[tuple]:
    """(customer, agent) for each customer: always to the agent with the least load — their
    open cases, their entries still to call and what this campaign gave them so far — ties
    by name. A heap, so 50,000 customers cost no query and well under a second (CS-7)."""
    heap = [(loads.get(a.pk, 0), a.name, a.pk, index) for index, a in enumerate(agents)]
    heapq.heapify(heap)
    given = []
    for customer in customers:
        load, name, pk, index = heap[0]
        given.append((customer, agents[index]))
        heapq.heapreplace(heap, (load + 1, name, pk, index))
    return given


def _insert_members(campaign: Campaign, given: list[tuple]) -> None:
    """The call list's rows in one statement (PostgreSQL: ``unnest`` of arrays) or one
    prepared statement run per row (SQLite). The ORM's ``bulk_create`` prepares every field
    of every row in Python: eight times slower at 50,000 members, past CS-7's 10 seconds on a
    busy machine. The columns left out are the nullable ones (no call yet, no offer)."""
    column = {f.name: str(f.column) for f in CampaignMember._meta.concrete_fields}
    table = connection.ops.quote_name(CampaignMember._meta.db_table)
    names = ["customer", "agent", "case", "since"]
    fixed = ["version", "created_at", "updated_at", "campaign", "result", "attempts"]
    fixed += ["note", "offer"]  # the rest are nullable: no call yet, no offer
    columns = ", ".join(column[n] for n in [*fixed, *names])
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    head = [1, now, now, campaign.pk, CallResult.PENDING, 0, "", ""]
    rows = [(c.customer_id, agent.pk, c.case_id, c.since) for c, agent in given]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "
                "SELECT %s, %s, %s, %s, %s, %s, %s, %s, u.* FROM unnest("
                "%s::bigint[], %s::bigint[], %s::bigint[], %s::timestamptz[]) AS u",
                [*head, *(list(values) for values in zip(*rows, strict=True))],
            )
        else:
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) "
                f"VALUES ({', '.join(['%s'] * (len(fixed) + len(names)))})",
                [
                    (*head, customer, agent, case, adapt(since) if since else None)
                    for customer, agent, case, since in rows
                ],
            )


@transaction.atomic
def campaign_create(*, actor, source, centre, data) -> Campaign:
    """A return-visit campaign from a rule (CS-7, CS-9): the rule's customers of the centre,
    each once, assigned evenly to the agents (with the campaign's skill, if one is set) by their
    open load; due in ``service.return_visit_days`` as a deadline that warns and escalates.
    Nothing selected, or no agent to take it, is refused naming CS-7 and nothing is written."""
    require(actor, Action.SERVICE_CAMPAIGN, centre)
    form = validated(CampaignForm, data, centre=centre)
    rule, skill = form.cleaned_data["rule"], form.cleaned_data.get("skill") or ""
    now = timezone.now()
    selected = campaign_selection(centre, rule, now)
    if not selected:
        message = _("The rule “%(rule)s” selects no customer of %(centre)s today (CS-7).") % {
            "rule": CampaignRule(rule).label,
            "centre": centre.name,
        }
        raise InvalidInput(message, fields={"rule": [message]}, rule="CS-7")
    agents = campaign_agents(centre, skill)
    if not agents and skill:
        message = _("No agent of %(centre)s has the skill “%(skill)s” (CS-7).") % {
            "centre": centre.name,
            "skill": Skill(skill).label,
        }
        raise InvalidInput(message, fields={"skill": [message]}, rule="CS-7")
    if not agents:
        message = _("%(centre)s has no agent (客服专员) to take the calls (CS-7).") % {
            "centre": centre.name
        }
        raise InvalidInput(message, rule="CS-7")
    campaign = form.save(commit=False)
    campaign.centre, campaign.created_by = centre, _person(actor)
    campaign.starts_at = now
    campaign.due_at = now + timedelta(days=centre.setting("service.return_visit_days"))
    campaign.save()
    given = assign_evenly(selected, agents, agent_loads(centre, agents))
    _insert_members(campaign, given)
    counts: dict[int, int] = {}
    for _chosen, agent in given:
        counts[agent.pk] = counts.get(agent.pk, 0) + 1
    busy = [a for a in agents if a.pk in counts]
    audit.record(
        actor=actor,
        source=source,
        verb="campaign.create",
        obj=campaign,
        after={
            **audit.snapshot(campaign),
            "members": len(given),
            "per_agent": {a.name: counts[a.pk] for a in busy},
        },
    )
    deadline_set(
        actor=SCHEDULER,
        source=source,
        centre=centre,
        target=campaign,
        data={"name": DEADLINE_NAME, "due_at": campaign.due_at, "assignee": ""},
        reason="CS-7",
    )
    due_local = timezone.localtime(campaign.due_at, centre.tz)
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.NOTICE,
        regarding=campaign,
        verb="campaign.create",
        params={
            "name": campaign.name,
            "count": len(given),
            "rule": rule,
            "agents": [a.name for a in busy],
            "due": due_local,
        },
    )
    notify(
        actor=actor,
        source=source,
        people=busy,
        centre=centre,
        title=Message(
            gettext_lazy("Customers to call on your return-visit list: %(name)s"),
            {"name": campaign.name},
        ),
        body=Message(gettext_lazy("Due %(due)s."), {"due": f"{due_local:%Y-%m-%d %H:%M}"}),
        link=f"/c/{centre.code}/service/call-list/",
        email=False,
        chat=False,
        regarding=campaign,
    )
    live.refresh_on_commit(centre, "service")
    return campaign


@transaction.atomic
def campaign_finish(*, actor, source, campaign_id, version: int) -> Campaign:
    """The campaign ends and its deadline is met. A members campaign finishes only when every
    member has a recorded result (reached, refused, wrong number); otherwise it is refused
    naming CS-7, how many are missing and who (CS-7: 100 % of member customers visited)."""
    campaign = locked(Campaign.objects.select_related("centre"), campaign_id, version)
    centre = campaign.centre
    require(actor, Action.SERVICE_CAMPAIGN, centre)
    state = Campaign.FLOW.next_state(campaign.state, "finish")
    members = CampaignMember.objects.filter(campaign=campaign)
    total = members.count()
    done = members.filter(result__in=DONE_RESULTS).count()
    if campaign.rule == CampaignRule.MEMBERS and done < total:
        missing = members.filter(result__in=OPEN_RESULTS).select_related("customer")
        names = "、".join(m.customer.name for m in missing[:5])
        raise CoverageMissing(
            _(
                "Every member customer must be visited before the campaign finishes: "
                "%(missing)s of %(total)s not yet (%(names)s…) (CS-7)."
            )
            % {"missing": total - done, "total": total, "names": names},
            rule="CS-7",
            missing=list(missing.order_by("pk").values_list("pk", flat=True)[:MISSING_SHOWN]),
        )
    before = audit.snapshot(campaign)
    campaign.state, campaign.finished_at = state, timezone.now()
    save_change(
        campaign,
        actor=actor,
        source=source,
        verb="campaign.finish",
        before=before,
        noted={"members": total, "visited": done},
    )
    for deadline in Deadline.objects.filter(
        content_type=content_type_of(campaign),
        object_id=str(campaign.pk),
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    ):
        deadline_meet(
            actor=SCHEDULER, source=source, deadline_id=deadline.pk, version=deadline.version
        )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.NOTICE,
        regarding=campaign,
        verb="campaign.finish",
        params={"name": campaign.name, "done": done, "count": total},
    )
    live.refresh_on_commit(centre, "service")
    return campaign


# --- the call list (CS-7) ------------------------------------------------------------------------


def _lock_member(member_id, version) -> CampaignMember:
    return locked(
        CampaignMember.objects.select_related("campaign__centre", "customer", "agent"),
        member_id,
        version,
    )


def _running(campaign: Campaign, rule: str = "CS-7") -> None:
    if campaign.state != CampaignState.RUNNING:
        raise Refused(
            _("The campaign “%(name)s” is finished.") % {"name": campaign.name},
            code="campaign_finished",
            rule=rule,
        )


def may_call(person, member: CampaignMember) -> bool:
    """The entry's agent calls; a group lead or supervisor may call on anyone's entry (CS-7)."""
    centre = member.campaign.centre
    if member.agent_id == getattr(person, "pk", None) or is_platform_admin(person):
        return True
    return bool(grants(person).get(centre.pk, frozenset()) & CALLERS_BESIDE_AGENT)


def _require_caller(actor, member: CampaignMember) -> None:
    require(actor, Action.SERVICE_INTAKE, member.campaign.centre)
    if not may_call(actor, member):
        raise Forbidden(
            _(
                "This customer is on %(agent)s's call list: only they, a group lead or a "
                "supervisor record its calls (CS-7)."
            )
            % {"agent": member.agent.name},
            rule="CS-7",
        )


@transaction.atomic
def call_record(
    *,
    actor,
    source,
    member_id,
    version: int,
    result: str,
    note: str = "",
    answers: list[dict] | None = None,
    rest_hours_confirmed: bool = False,
) -> CallAttempt:
    """A return-visit call and what came of it (CS-7): reached, no answer, refused or wrong
    number, with a note. A call inside the customer's rest hours (``service.rest_hours``) is
    refused until the caller confirms it (409 ``rest_hours``), and the attempt records that it
    was. No answer offers the next try in another time window (``resthours.retry_after``).
    The survey's answers are saved in the same transaction (CS-8)."""
    member = _lock_member(member_id, version)
    campaign = member.campaign
    centre = campaign.centre
    _require_caller(actor, member)
    _running(campaign)
    if member.result in DONE_RESULTS:
        raise Refused(
            _("This customer's return visit is recorded already: %(result)s.")
            % {"result": member.get_result_display()},
            code="done_already",
            rule="CS-7",
        )
    call = validated(CallForm, {"result": result, "note": note}).cleaned_data
    now = timezone.now()
    windows = resthours.windows_of(centre)
    in_rest = resthours.inside(now, centre.tz, windows)
    if in_rest and not rest_hours_confirmed:
        raise Refused(
            _("It is the customers' rest time (%(hours)s): confirm that you call anyway (CS-7).")
            % {"hours": resthours.shown(windows)},
            code="rest_hours",
            rule="CS-7",
        )
    attempt = CallAttempt.objects.create(
        member=member,
        at=now,
        by=actor,
        result=call["result"],
        in_rest_hours=in_rest,
        note=call["note"],
    )
    before = audit.snapshot(member)
    member.result = call["result"]
    member.attempts += 1
    member.last_called_at = now
    if call["note"]:
        member.note = call["note"]
    member.retry_after = (
        resthours.retry_after(now, centre.tz, windows)
        if call["result"] == CallResult.NO_ANSWER
        else None
    )
    save_change(
        member,
        actor=actor,
        source=source,
        verb="campaign_member.call",
        before=before,
        centre=centre,
        noted={"call": attempt.pk, "in_rest_hours": in_rest},
    )
    if answers:
        surveys.survey_answers_save(actor=actor, source=source, member=member, answers=answers)
    live.refresh_on_commit(centre, "service")
    return attempt


@transaction.atomic
def member_reassign(*, actor, source, member_id, version: int, agent) -> CampaignMember:
    """The entry moves to another agent of the centre (CS-7); an agent outside the centre or
    without the agent's role is refused on ``agent`` naming CS-7. The new agent is told."""
    member = _lock_member(member_id, version)
    centre = member.campaign.centre
    require(actor, Action.SERVICE_CAMPAIGN, centre)
    _running(member.campaign)
    to = validated(ReassignForm, {"agent": agent}, centre=centre).cleaned_data["agent"]
    if member.result in DONE_RESULTS:
        raise Refused(
            _("This customer's return visit is recorded already: %(result)s.")
            % {"result": member.get_result_display()},
            code="done_already",
            rule="CS-7",
        )
    if to.pk == member.agent_id:
        return member
    before = audit.snapshot(member)
    member.agent = to
    save_change(
        member,
        actor=actor,
        source=source,
        verb="campaign_member.reassign",
        before=before,
        centre=centre,
    )
    notify(
        actor=actor,
        source=source,
        people=[to],
        centre=centre,
        title=Message(
            gettext_lazy("A customer moved to your return-visit list: %(customer)s (%(name)s)"),
            {"customer": member.customer.name, "name": member.campaign.name},
        ),
        link=f"/c/{centre.code}/service/members/{member.pk}/",
        email=False,
        chat=False,
        regarding=member,
    )
    live.refresh_on_commit(centre, "service")
    return member


@transaction.atomic
def member_offer(*, actor, source, member_id, version: int, approved_by) -> CampaignMember:
    """The campaign's follow-up offer made to this customer, with who approved it (CS-9): a
    group lead, supervisor or department head of the centre. A leads campaign's offer is made
    only two days or more after the lead."""
    member = _lock_member(member_id, version)
    campaign = member.campaign
    centre = campaign.centre
    _require_caller(actor, member)
    _running(campaign, rule="CS-9")
    if not campaign.offer:
        raise Refused(
            _("The campaign “%(name)s” has no follow-up offer (CS-9).") % {"name": campaign.name},
            code="no_offer",
            rule="CS-9",
        )
    if member.offer:
        raise Refused(
            _("The offer was made already, approved by %(person)s (CS-9).")
            % {"person": member.offer_approved_by.name if member.offer_approved_by else "—"},
            code="offer_made",
            rule="CS-9",
        )
    approver = validated(OfferForm, {"approved_by": approved_by}, centre=centre).cleaned_data[
        "approved_by"
    ]
    now = timezone.now()
    if campaign.rule == CampaignRule.LEADS and member.since and now < member.since + OFFER_AFTER:
        allowed = timezone.localtime(member.since + OFFER_AFTER, centre.tz)
        raise Refused(
            _("The offer may be made two days after the lead, from %(at)s (CS-9).")
            % {"at": f"{allowed:%Y-%m-%d %H:%M}"},
            code="offer_too_early",
            rule="CS-9",
        )
    before = audit.snapshot(member)
    member.offer, member.offer_approved_by, member.offered_at = campaign.offer, approver, now
    save_change(
        member,
        actor=actor,
        source=source,
        verb="campaign_member.offer",
        before=before,
        centre=centre,
    )
    live.refresh_on_commit(centre, "service")
    return member


# --- agents' skills (CS-7) -----------------------------------------------------------------------


@transaction.atomic
def agent_skill_add(*, actor, source, centre, data) -> AgentSkill:
    """An agent of the centre gets a skill campaigns may ask for (CS-7); once only."""
    require(actor, Action.SERVICE_CONFIGURE, centre)
    form = validated(AgentSkillForm, data, centre=centre).cleaned_data
    skill, created = AgentSkill.objects.get_or_create(
        centre=centre, person=form["agent"], skill=form["skill"]
    )
    if created:
        audit.record(
            actor=actor,
            source=source,
            verb="agent_skill.add",
            obj=skill,
            after=audit.snapshot(skill),
        )
        live.refresh_on_commit(centre, "service")
    return skill


@transaction.atomic
def agent_skill_remove(*, actor, source, centre, data) -> None:
    """An agent of the centre no longer has a skill (CS-7); campaigns already made keep their
    entries."""
    require(actor, Action.SERVICE_CONFIGURE, centre)
    form = validated(AgentSkillForm, data, centre=centre).cleaned_data
    skill = (
        AgentSkill.objects.select_for_update()
        .filter(centre=centre, person=form["agent"], skill=form["skill"])
        .first()
    )
    if skill is None:
        return
    audit.record(
        actor=actor,
        source=source,
        verb="agent_skill.remove",
        obj=skill,
        before=audit.snapshot(skill),
    )
    skill.delete()
    live.refresh_on_commit(centre, "service")
