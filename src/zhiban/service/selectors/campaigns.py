"""Reads of return-visit campaigns and their call lists (CS-7, CS-9), scoped to the person's
centres (ORG-3): the customers a rule selects, the agents a campaign may go to and their open
load, the agent's call list due now, a campaign's progress and coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from zhiban.core.notify import people_with_roles
from zhiban.core.permissions import PERMISSIONS, Action, Role
from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import (
    DONE_RESULTS,
    OPEN_CASE_STATES,
    AgentSkill,
    CallResult,
    Campaign,
    CampaignMember,
    CampaignRule,
    CampaignState,
    Case,
    CaseState,
    Category,
    Customer,
    Order,
    OrderState,
)

# CS-7: the windows of the selection rules
DELIVERED_WORKING_DAYS = (7, 15)  # delivered 7–15 working days ago
COMPLAINT_CLOSED_DAYS = (3, 7)  # complaint closed 3–7 days ago
LEAD_AFTER = timedelta(days=1)  # a lead not converted after a day (CS-9)
OPEN_RESULTS = [CallResult.PENDING, CallResult.NO_ANSWER]
MISSING_SHOWN = 500  # members not yet visited, listed on the page and in the API


# --- the customers a rule selects (CS-7, CS-9) ------------------------------------------------


@dataclass(frozen=True)
class Selected:
    """A customer a campaign's rule selects: why (the case, when) travels with the entry."""

    customer_id: int
    case_id: int | None = None
    since: datetime | None = None


def working_days_between(earlier: date, later: date) -> int:
    """The working days (Monday–Friday) after ``earlier`` up to and including ``later``.
    Public holidays are not known to Zhiban, so a holiday counts as a working day."""
    days, day = 0, earlier
    while day < later:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return days


def _day_start(day: date, centre) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=centre.tz)


def delivered_span(centre, now: datetime) -> tuple[datetime, datetime]:
    """The instants between which a delivery lies 7–15 working days before today (in the
    centre's zone; Monday–Friday are working days, public holidays are not known)."""
    today = timezone.localtime(now, centre.tz).date()
    fewest, most = DELIVERED_WORKING_DAYS
    days = [today - timedelta(days=n) for n in range(0, 3 * most)]
    inside = [d for d in days if fewest <= working_days_between(d, today) <= most]
    return _day_start(min(inside), centre), _day_start(max(inside) + timedelta(days=1), centre)


def closed_span(centre, now: datetime) -> tuple[datetime, datetime]:
    """The instants between which a complaint closed 3–7 days before today (the centre's
    calendar days)."""
    today = timezone.localtime(now, centre.tz).date()
    fewest, most = COMPLAINT_CLOSED_DAYS
    return (
        _day_start(today - timedelta(days=most), centre),
        _day_start(today - timedelta(days=fewest - 1), centre),
    )


def _latest_per_customer(rows) -> list[Selected]:
    """Each customer once, with their latest reason (rows ordered oldest first)."""
    chosen: dict[int, Selected] = {}
    for customer_id, case_id, since in rows:
        chosen[customer_id] = Selected(customer_id, case_id, since)
    return [chosen[pk] for pk in sorted(chosen)]


def campaign_selection(centre, rule: str, now: datetime | None = None) -> list[Selected]:
    """The customers of the centre a rule selects, each once, in customer order (CS-7):

    - ``delivered``: an order delivered 7–15 working days ago;
    - ``complaint_closed``: a complaint case closed 3–7 days ago;
    - ``members``: every member customer (会员);
    - ``leads``: a case marked as a sales lead (the intake offers the tick on consultations)
      opened more than a day ago, whose customer placed no order since (a cancelled one does
      not count) and which no earlier campaign followed up yet (CS-9)."""
    now = now or timezone.now()
    if rule == CampaignRule.MEMBERS:
        ids = Customer.objects.filter(centre=centre, is_member=True).order_by("pk")
        return [Selected(pk) for pk in ids.values_list("pk", flat=True).iterator(chunk_size=5000)]
    if rule == CampaignRule.DELIVERED:
        start, end = delivered_span(centre, now)
        orders = Order.objects.filter(
            centre=centre,
            state=OrderState.DELIVERED,
            delivered_at__gte=start,
            delivered_at__lt=end,
        ).order_by("delivered_at", "pk")
        return _latest_per_customer(
            (customer, None, at)
            for customer, at in orders.values_list("customer_id", "delivered_at")
        )
    if rule == CampaignRule.COMPLAINT_CLOSED:
        start, end = closed_span(centre, now)
        cases = Case.objects.filter(
            centre=centre,
            category=Category.COMPLAINT,
            state=CaseState.CLOSED,
            closed_at__gte=start,
            closed_at__lt=end,
        ).order_by("closed_at", "pk")
        return _latest_per_customer(cases.values_list("customer_id", "pk", "closed_at"))
    if rule == CampaignRule.LEADS:
        bought = (
            Order.objects.filter(customer=OuterRef("customer"), taken_at__gte=OuterRef("opened_at"))
            .exclude(state=OrderState.CANCELLED)
            .values("pk")
        )
        followed = CampaignMember.objects.filter(case=OuterRef("pk")).values("pk")
        leads = (
            Case.objects.filter(centre=centre, is_lead=True, opened_at__lte=now - LEAD_AFTER)
            .exclude(Exists(bought))
            .exclude(Exists(followed))
            .order_by("opened_at", "pk")
        )
        return _latest_per_customer(leads.values_list("customer_id", "pk", "opened_at"))
    return []


# --- agents, their skills and their load (CS-7) --------------------------------------------------


def agents_of(centre) -> list:
    """The centre's active agents (客服专员), by name. Campaigns go to agents only: the group
    lead hands over the day's orders, works the morning queue and records calls on anyone's
    entry, so a campaign's load is not put on them (CS-7)."""
    return people_with_roles(centre, {Role.CS_AGENT})


def is_agent(person, centre) -> bool:
    return person is not None and any(a.pk == person.pk for a in agents_of(centre))


def campaign_agents(centre, skill: str = "") -> list:
    """The agents a campaign may go to: every agent, or those with the campaign's skill."""
    agents = agents_of(centre)
    if not skill:
        return agents
    skilled = set(
        AgentSkill.objects.filter(centre=centre, skill=skill).values_list("person_id", flat=True)
    )
    return [a for a in agents if a.pk in skilled]


def agent_loads(centre, agents) -> dict[int, int]:
    """Each agent's open load: the open cases they own and their call-list entries still to
    call in running campaigns (CS-7)."""
    ids = [a.pk for a in agents]
    loads = dict.fromkeys(ids, 0)
    cases = (
        Case.objects.filter(centre=centre, owner__in=ids, state__in=OPEN_CASE_STATES)
        .values("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
    )
    entries = (
        CampaignMember.objects.filter(
            agent__in=ids,
            result__in=OPEN_RESULTS,
            campaign__centre=centre,
            campaign__state=CampaignState.RUNNING,
        )
        .values("agent")
        .annotate(n=Count("pk"))
        .values_list("agent", "n")
    )
    for rows in (cases, entries):
        for person, n in rows:
            loads[person] += n
    return loads


@dataclass
class AgentRow:
    person: object
    skills: list[str] = field(default_factory=list)


def agent_skill_list(*, user, centre) -> list[AgentRow]:
    """The centre's agents with their skills (the agent-skills page and API)."""
    rows = {a.pk: AgentRow(a) for a in agents_of(centre)}
    skills = limit(AgentSkill.objects.filter(centre=centre), user).order_by("skill")
    for person_id, skill in skills.values_list("person_id", "skill"):
        if person_id in rows:
            rows[person_id].skills.append(skill)
    return list(rows.values())


# --- campaigns ----------------------------------------------------------------------------------


def campaign_list(*, user, centre):
    """The centre's campaigns, running first, newest first, with their counts."""
    running_first = SqlCase(
        When(state=CampaignState.RUNNING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        limit(Campaign.objects.filter(centre=centre), user)
        .select_related("created_by", "script")
        .annotate(
            total=Count("members"),
            done=Count("members", filter=Q(members__result__in=DONE_RESULTS)),
            running_first=running_first,
        )
        .order_by("running_first", "-starts_at", "-pk")
    )


def campaign_get(*, user, centre, pk) -> Campaign:
    return get_or_404(campaign_list(user=user, centre=centre), pk)


@dataclass
class Progress:
    """Where a campaign stands (CS-7): done/total per agent and per result; coverage counts
    the recorded results (reached, refused, wrong number) — a customer who refused or whose
    number is wrong was visited; no answer and not called yet are still missing."""

    total: int
    done: int
    per_result: dict[str, int]
    per_agent: list
    missing: list

    @property
    def coverage(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 100.0

    @property
    def missing_count(self) -> int:
        return self.total - self.done


def campaign_progress(campaign: Campaign) -> Progress:
    members = CampaignMember.objects.filter(campaign=campaign)
    per_result = dict.fromkeys(CallResult.values, 0)
    for result, n in members.values("result").annotate(n=Count("pk")).values_list("result", "n"):
        per_result[result] = n
    per_agent = list(
        members.values("agent", "agent__name")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(result__in=DONE_RESULTS)),
            no_answer=Count("pk", filter=Q(result=CallResult.NO_ANSWER)),
        )
        .order_by("agent__name", "agent")
    )
    missing = list(
        members.filter(result__in=OPEN_RESULTS)
        .select_related("customer", "agent")
        .order_by("pk")[:MISSING_SHOWN]
    )
    total = sum(per_result.values())
    done = sum(per_result[r] for r in DONE_RESULTS)
    return Progress(total, done, per_result, per_agent, missing)


# --- call-list entries ---------------------------------------------------------------------------


def member_list(*, user, centre):
    return (
        limit(
            CampaignMember.objects.filter(campaign__centre=centre), user, field="campaign__centre"
        )
        .select_related("campaign", "customer", "agent", "offer_approved_by")
        .prefetch_related("calls__by")
        .order_by("pk")
    )


def member_get(*, user, centre, pk) -> CampaignMember:
    return get_or_404(member_list(user=user, centre=centre), pk)


def campaign_members(*, user, centre, campaign, agent=None, result: str = "", open_only=False):
    """A campaign's call list, filtered by agent and result (the page, the API, the export)."""
    rows = member_list(user=user, centre=centre).filter(campaign=campaign)
    if agent:
        rows = rows.filter(agent=agent)
    if result:
        rows = rows.filter(result=result)
    if open_only:
        rows = rows.filter(result__in=OPEN_RESULTS)
    return rows


def _due(now: datetime) -> Q:
    retry_come = Q(retry_after__isnull=True) | Q(retry_after__lte=now)
    return Q(result=CallResult.PENDING) | (Q(result=CallResult.NO_ANSWER) & retry_come)


def call_list(*, user, centre, now: datetime | None = None):
    """The person's entries due now in the centre's running campaigns (CS-7): not called yet,
    or no answer and the retry window has come; the campaign due first, then in list order."""
    now = now or timezone.now()
    return (
        member_list(user=user, centre=centre)
        .filter(agent=user.pk, campaign__state=CampaignState.RUNNING)
        .filter(_due(now))
        .order_by("campaign__due_at", "pk")
    )


def call_list_later(*, user, centre, now: datetime | None = None):
    """The person's entries waiting for their retry window (no answer earlier)."""
    now = now or timezone.now()
    return (
        member_list(user=user, centre=centre)
        .filter(
            agent=user.pk,
            campaign__state=CampaignState.RUNNING,
            result=CallResult.NO_ANSWER,
            retry_after__gt=now,
        )
        .order_by("retry_after", "pk")
    )


def approvers(centre) -> list:
    """Who may approve a follow-up offer in the centre: those allowed SERVICE_CAMPAIGN there
    (group lead, supervisor, department head; CS-9)."""
    return people_with_roles(centre, PERMISSIONS[Action.SERVICE_CAMPAIGN])


def campaign_export_rows(*, user, centre, campaign, agent=None, result: str = "", open_only=False):
    """The call list as the .xlsx export writes it: no calls prefetched, streamed."""
    return campaign_members(
        user=user, centre=centre, campaign=campaign, agent=agent, result=result, open_only=open_only
    ).prefetch_related(None)


def earlier_visits(member: CampaignMember) -> list:
    """The customer's calls of other return visits, latest first (beside the call)."""
    return list(
        CampaignMember.objects.filter(customer_id=member.customer_id)
        .exclude(pk=member.pk)
        .exclude(result=CallResult.PENDING)
        .select_related("campaign", "agent")
        .order_by("-last_called_at", "-pk")[:10]
    )
