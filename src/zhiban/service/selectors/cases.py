"""Scoped reads of cases, their contacts and the departments cases are routed to (ORG-3):
the case list and page, the morning queue (CS-6), each department's queue (CS-2), the
first-response clock (CS-6) and who may work a case."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import can, grants, is_platform_admin, limit
from zhiban.core.selectors import get_or_404
from zhiban.org.models import Person

from ..models import (
    OPEN_CASE_STATES,
    Case,
    CaseState,
    Channel,
    Contact,
    Department,
)

# the roles that work any case of their centre, beside its owner (CS-6)
CASE_LEADS = frozenset({Role.CS_GROUP_LEAD, Role.CS_SUPERVISOR})
# who takes cases and receives transfers: the roles allowed to record contacts (CS-6)
AGENT_ROLES = frozenset({Role.CS_AGENT, Role.CS_GROUP_LEAD, Role.CS_SUPERVISOR})


def case_list(*, user, centre) -> QuerySet[Case]:
    """The centre's cases, newest contact first (index ``service_case_opened``)."""
    return (
        limit(Case.objects.filter(centre=centre), user)
        .select_related("customer", "owner", "department")
        .order_by("-opened_at", "-id")
    )


def case_get(*, user, centre, pk) -> Case:
    """One case of the centre with its contacts; 404 outside the person's centres (ORG-3)."""
    contacts = Contact.objects.select_related("received_by").order_by("at", "id")
    cases = case_list(user=user, centre=centre).prefetch_related(
        Prefetch("contacts", queryset=contacts)
    )
    return get_or_404(cases.select_related("closed_by", "department__team"), pk)


def contact_get(*, user, centre, pk) -> Contact:
    contacts = limit(Contact.objects.filter(centre=centre), user)
    return get_or_404(contacts.select_related("customer", "case", "received_by"), pk)


def queue(*, user, centre) -> QuerySet[Case]:
    """CS-6: the cases nobody owns yet, web leads first, then the oldest first — every new
    day starts by working through them."""
    web_first = When_(
        When(channel=Channel.WEB, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        case_list(user=user, centre=centre)
        .filter(owner=None, state__in=OPEN_CASE_STATES)
        .annotate(web_first=web_first)
        .order_by("web_first", "opened_at", "id")
    )


def my_open_cases(*, user, centre) -> QuerySet[Case]:
    """The person's own open cases, oldest first (whoever receives it owns it, CS-6)."""
    return (
        case_list(user=user, centre=centre)
        .filter(owner=user, state__in=OPEN_CASE_STATES)
        .order_by("opened_at", "id")
    )


def breached(queryset: QuerySet[Case], now: datetime | None = None) -> QuerySet[Case]:
    """Cases whose first response came late or is overdue (CS-6)."""
    now = now or timezone.now()
    late = Q(first_response_at__isnull=False, first_response_at__gt=F("first_response_due"))
    overdue = Q(first_response_at=None, first_response_due__lt=now)
    return queryset.filter(Q(first_response_due__isnull=False) & (late | overdue))


def clock(case: Case, now: datetime | None = None) -> str:
    """The first-response clock of a case (CS-6): ``none`` (answered at once), ``running``,
    ``breached`` (overdue, not yet answered), ``met`` or ``late``."""
    now = now or timezone.now()
    if case.first_response_due is None:
        return "none"
    if case.first_response_at is None:
        return "breached" if now > case.first_response_due else "running"
    return "late" if case.first_response_at > case.first_response_due else "met"


def is_case_lead(user, centre) -> bool:
    """A group lead or supervisor of the centre: works any case of it, beside its owner."""
    if is_platform_admin(user):
        return True
    return bool(grants(user).get(centre.pk, frozenset()) & CASE_LEADS)


def may_work(user, case: Case) -> bool:
    """CS-6: only the owner, or a group lead or supervisor, works a case."""
    if not can(user, Action.SERVICE_INTAKE, case.centre):
        return False
    return case.owner_id == getattr(user, "pk", None) or is_case_lead(user, case.centre)


def agents_of(centre) -> QuerySet[Person]:
    """The centre's people who take cases (agents, group leads, supervisors): the choices of
    a transfer (CS-6)."""
    return (
        Person.objects.filter(
            is_active=True,
            memberships__centre=centre,
            memberships__active=True,
            memberships__role__in=list(AGENT_ROLES),
        )
        .distinct()
        .order_by("name")
    )


def is_department_member(user, department: Department) -> bool:
    """The department's head, or a person of its team (CS-2: they report its result)."""
    if department.head_id and department.head_id == getattr(user, "pk", None):
        return True
    if department.team_id is None:
        return False
    return user.memberships.filter(team_id=department.team_id, active=True).exists()


def may_report_result(user, case: Case) -> bool:
    """CS-2: a team department's people (or head) report its result; for an outside
    department the case's owner, a group lead or a supervisor records what came back."""
    department = case.department
    if department is None or not can(user, Action.SERVICE_RESULT, case.centre):
        return False
    if is_department_member(user, department) or is_platform_admin(user):
        return True
    return department.team_id is None and may_work(user, case)


# --- departments (CS-2) ------------------------------------------------------------------------


def department_list(*, user, centre) -> QuerySet[Department]:
    return (
        limit(Department.objects.filter(centre=centre), user)
        .select_related("team", "head")
        .order_by("name", "id")
    )


def department_get(*, user, centre, pk) -> Department:
    return get_or_404(department_list(user=user, centre=centre), pk)


def active_departments(centre) -> QuerySet[Department]:
    return Department.objects.filter(centre=centre, active=True).order_by("name")


def department_queue(*, user, centre, department: Department) -> QuerySet[Case]:
    """CS-2: the cases routed to the department, those waiting for its result first, then
    the oldest first."""
    waiting_first = When_(
        When(state=CaseState.ROUTED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        case_list(user=user, centre=centre)
        .filter(department=department)
        .annotate(waiting_first=waiting_first)
        .order_by("waiting_first", "routed_at", "id")
    )


def routed_without_result(centre) -> QuerySet[Case]:
    """Cases with a department whose result has not come back (CS-2), oldest first."""
    return (
        Case.objects.filter(centre=centre, state=CaseState.ROUTED)
        .select_related("customer", "department", "owner")
        .order_by("routed_at", "id")
    )


def open_breached(centre, now: datetime | None = None) -> QuerySet[Case]:
    """Open cases whose first response is overdue (CS-6), oldest first."""
    now = now or timezone.now()
    return (
        Case.objects.filter(
            centre=centre,
            state__in=OPEN_CASE_STATES,
            first_response_at=None,
            first_response_due__lt=now,
        )
        .select_related("customer", "owner")
        .order_by("first_response_due", "id")
    )
