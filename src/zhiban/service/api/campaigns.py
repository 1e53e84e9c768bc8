"""The return-visit API (CS-7, CS-9): campaigns created from a rule and their progress, the
call list and its .xlsx export, the person's entries due now, calls recorded (rest hours
confirmed or 409 ``rest_hours``), entries moved to another agent, the follow-up offer with who
approved it, and the agents' skills. Every change carries the version it read."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import XLSX, Id, Pagination, VersionIn, centre_of
from zhiban.core.exports import xlsx_response

from .. import phones
from ..models import CallResult, CampaignRule, CampaignState, Skill
from ..resources.campaigns import CALL_LIST
from ..selectors import campaigns as selectors
from ..services import campaigns as services

router = Router(tags=["service: return visits"])
API = Source.API
BASE = "/service/{code}/campaigns"
MEMBER = "/service/{code}/members/{pk}"
TAG = "service: return visits"
Recorded = Literal["reached", "no_answer", "refused", "wrong_number"]


# --- schemas ---------------------------------------------------------------------------------------


class CampaignAgentOut(Schema):
    agent_id: int
    agent_name: str
    total: int
    done: int
    no_answer: int


class CampaignOut(Schema):
    id: int
    name: str
    rule: CampaignRule
    skill: str
    script_id: int | None
    offer: str
    state: CampaignState
    starts_at: datetime
    due_at: datetime
    finished_at: datetime | None
    created_by_id: int | None
    total: int
    done: int
    coverage: float = Field(description="Recorded results (reached, refused, wrong number) in %")
    version: int

    @staticmethod
    def resolve_coverage(obj) -> float:
        return round(100 * obj.done / obj.total, 1) if obj.total else 100.0


class CampaignDetailOut(CampaignOut):
    per_result: dict[str, int]
    per_agent: list[CampaignAgentOut]
    missing: list[int] = Field(description="Entries not yet visited (the first 500)")

    @staticmethod
    def resolve_per_result(obj) -> dict:
        return obj.progress.per_result

    @staticmethod
    def resolve_per_agent(obj) -> list:
        return [
            {
                "agent_id": row["agent"],
                "agent_name": row["agent__name"],
                "total": row["total"],
                "done": row["done"],
                "no_answer": row["no_answer"],
            }
            for row in obj.progress.per_agent
        ]

    @staticmethod
    def resolve_missing(obj) -> list:
        return [m.pk for m in obj.progress.missing]


class CampaignIn(Schema):
    name: Annotated[str, Field(max_length=100)]
    rule: CampaignRule
    skill: Skill | Literal[""] = ""
    script: Id | None = None
    offer: Annotated[str, Field(max_length=100)] = ""


class CampaignCustomerOut(Schema):
    id: int
    name: str
    phone: str
    phone_shown: str
    region: str
    is_member: bool

    @staticmethod
    def resolve_phone_shown(obj) -> str:
        return phones.shown(obj.phone)


class CampaignCallOut(Schema):
    id: int
    at: datetime
    by_id: int
    by_name: str
    result: CallResult
    in_rest_hours: bool
    note: str

    @staticmethod
    def resolve_by_name(obj) -> str:
        return obj.by.name


class CampaignMemberOut(Schema):
    id: int
    campaign_id: int
    campaign_name: str
    customer: CampaignCustomerOut
    agent_id: int
    agent_name: str
    result: CallResult
    attempts: int
    retry_after: datetime | None
    last_called_at: datetime | None
    note: str
    case_id: int | None
    since: datetime | None
    offer: str
    offer_approved_by_id: int | None
    offered_at: datetime | None
    calls: list[CampaignCallOut]
    version: int

    @staticmethod
    def resolve_campaign_name(obj) -> str:
        return obj.campaign.name

    @staticmethod
    def resolve_agent_name(obj) -> str:
        return obj.agent.name

    @staticmethod
    def resolve_calls(obj) -> list:
        return list(obj.calls.all())


class CampaignSurveyAnswerIn(Schema):
    question: Id
    score: int | None = Field(None, ge=0, le=100)
    choice: Annotated[str, Field(max_length=60)] = ""
    text: Annotated[str, Field(max_length=4000)] = ""


class CampaignCallIn(VersionIn):
    result: Recorded
    note: Annotated[str, Field(max_length=2000)] = ""
    answers: list[CampaignSurveyAnswerIn] = Field(default=[], max_length=100)
    rest_hours_confirmed: bool = Field(
        False, description="The caller was warned of the customer's rest hours and calls anyway"
    )


class CampaignReassignIn(VersionIn):
    agent: Id


class CampaignOfferIn(VersionIn):
    approved_by: Id


class AgentSkillsOut(Schema):
    agent_id: int
    agent_name: str
    skills: list[Skill]


class AgentSkillIn(Schema):
    agent: Id
    skill: Skill


class CampaignMemberFilters(Schema):
    agent: Id | None = None
    result: CallResult | None = None
    open: bool = Field(False, description="Only entries not yet visited")


# --- campaigns ----------------------------------------------------------------------------------


def _campaign(request, code, pk, *, progress: bool = True):
    campaign = selectors.campaign_get(user=request.user, centre=centre_of(request, code), pk=pk)
    if progress:
        campaign.progress = selectors.campaign_progress(campaign)
    return campaign


@router.get(BASE, response=list[CampaignOut], operation_id="campaign_list", tags=[TAG])
@paginate(Pagination)
def campaign_list(request, code: str):
    """The centre's return-visit campaigns, running first (CS-7)."""
    return selectors.campaign_list(user=request.user, centre=centre_of(request, code))


@router.post(BASE, response={201: CampaignDetailOut}, operation_id="campaign_create", tags=[TAG])
def campaign_create(request, code: str, payload: CampaignIn):
    """A campaign from a rule, assigned evenly to the agents by load and skill, due in
    ``service.return_visit_days`` (CS-7); an empty selection or no agent is 422 naming CS-7."""
    centre = centre_of(request, code)
    campaign = services.campaign_create(
        actor=request.user, source=API, centre=centre, data=payload.dict()
    )
    return Status(201, _campaign(request, code, campaign.pk))


@router.get(f"{BASE}/{{pk}}", response=CampaignDetailOut, operation_id="campaign_get", tags=[TAG])
def campaign_get(request, code: str, pk: Id):
    """One campaign with its progress per agent and result, and who is not yet visited."""
    return _campaign(request, code, pk)


@router.post(
    f"{BASE}/{{pk}}/finish",
    response=CampaignDetailOut,
    operation_id="campaign_finish",
    tags=[TAG],
)
def campaign_finish(request, code: str, pk: Id, payload: VersionIn):
    """The campaign ends, its deadline met; a members campaign only at 100 % coverage, else
    409 naming CS-7 and the missing entries (``missing``)."""
    campaign = _campaign(request, code, pk, progress=False)
    services.campaign_finish(
        actor=request.user, source=API, campaign_id=campaign.pk, version=payload.version
    )
    return _campaign(request, code, pk)


@router.get(
    f"{BASE}/{{pk}}/members",
    response=list[CampaignMemberOut],
    operation_id="campaign_member_list",
    tags=[TAG],
)
@paginate(Pagination)
def campaign_member_list(request, code: str, pk: Id, filters: Query[CampaignMemberFilters]):
    """The campaign's call list with each entry's result and calls (CS-7)."""
    campaign = _campaign(request, code, pk, progress=False)
    return selectors.campaign_members(
        user=request.user,
        centre=campaign.centre,
        campaign=campaign,
        agent=filters.agent,
        result=filters.result or "",
        open_only=filters.open,
    )


@router.get(
    f"{BASE}/{{pk}}/members.xlsx",
    operation_id="campaign_member_export",
    tags=[TAG],
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def campaign_member_export(request, code: str, pk: Id, filters: Query[CampaignMemberFilters]):
    """The call list with its results as .xlsx (CS-7)."""
    campaign = _campaign(request, code, pk, progress=False)
    rows = selectors.campaign_export_rows(
        user=request.user,
        centre=campaign.centre,
        campaign=campaign,
        agent=filters.agent,
        result=filters.result or "",
        open_only=filters.open,
    )
    return xlsx_response(CALL_LIST, rows, campaign.name, f"{code}-campaign-{campaign.pk}")


# --- the call list --------------------------------------------------------------------------------


def _member(request, code, pk):
    return selectors.member_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.get(
    "/service/{code}/call-list",
    response=list[CampaignMemberOut],
    operation_id="return_visit_call_list",
    tags=[TAG],
)
@paginate(Pagination)
def call_list(request, code: str):
    """The person's entries due now: not called yet, or no answer and the retry window has
    come (CS-7)."""
    return selectors.call_list(user=request.user, centre=centre_of(request, code))


@router.get(MEMBER, response=CampaignMemberOut, operation_id="campaign_member_get", tags=[TAG])
def campaign_member_get(request, code: str, pk: Id):
    """One call-list entry with its calls."""
    return _member(request, code, pk)


@router.post(
    f"{MEMBER}/calls",
    response=CampaignMemberOut,
    operation_id="campaign_member_call",
    tags=[TAG],
)
def campaign_member_call(request, code: str, pk: Id, payload: CampaignCallIn):
    """A call and its result (CS-7), with the survey's answers (CS-8). Inside the customers'
    rest hours it is 409 ``rest_hours`` naming CS-7 until ``rest_hours_confirmed`` is true;
    no answer sets ``retry_after`` in another time window. Only the entry's agent, a group
    lead or a supervisor records it."""
    member = _member(request, code, pk)
    services.call_record(
        actor=request.user,
        source=API,
        member_id=member.pk,
        version=payload.version,
        result=payload.result,
        note=payload.note,
        answers=[a.dict() for a in payload.answers],
        rest_hours_confirmed=payload.rest_hours_confirmed,
    )
    return _member(request, code, pk)


@router.post(
    f"{MEMBER}/reassign",
    response=CampaignMemberOut,
    operation_id="campaign_member_reassign",
    tags=[TAG],
)
def campaign_member_reassign(request, code: str, pk: Id, payload: CampaignReassignIn):
    """The entry moves to another agent of the centre; anyone else is 422 on ``agent``
    naming CS-7."""
    member = _member(request, code, pk)
    services.member_reassign(
        actor=request.user,
        source=API,
        member_id=member.pk,
        version=payload.version,
        agent=payload.agent,
    )
    return _member(request, code, pk)


@router.post(
    f"{MEMBER}/offer",
    response=CampaignMemberOut,
    operation_id="campaign_member_offer",
    tags=[TAG],
)
def campaign_member_offer(request, code: str, pk: Id, payload: CampaignOfferIn):
    """The campaign's follow-up offer made, with who approved it (a group lead, supervisor or
    department head of the centre; CS-9); a leads campaign's only two days after the lead."""
    member = _member(request, code, pk)
    services.member_offer(
        actor=request.user,
        source=API,
        member_id=member.pk,
        version=payload.version,
        approved_by=payload.approved_by,
    )
    return _member(request, code, pk)


# --- agents' skills ---------------------------------------------------------------------------------


def _skills(request, centre) -> list[dict]:
    return [
        {"agent_id": row.person.pk, "agent_name": row.person.name, "skills": row.skills}
        for row in selectors.agent_skill_list(user=request.user, centre=centre)
    ]


@router.get(
    "/service/{code}/agent-skills",
    response=list[AgentSkillsOut],
    operation_id="agent_skill_list",
    tags=[TAG],
)
def agent_skill_list(request, code: str):
    """The centre's agents and their skills (CS-7)."""
    return _skills(request, centre_of(request, code))


@router.post(
    "/service/{code}/agent-skills",
    response=list[AgentSkillsOut],
    operation_id="agent_skill_add",
    tags=[TAG],
)
def agent_skill_add(request, code: str, payload: AgentSkillIn):
    """An agent gets a skill campaigns may ask for (CS-7)."""
    centre = centre_of(request, code)
    services.agent_skill_add(actor=request.user, source=API, centre=centre, data=payload.dict())
    return _skills(request, centre)


@router.post(
    "/service/{code}/agent-skills/remove",
    response=list[AgentSkillsOut],
    operation_id="agent_skill_remove",
    tags=[TAG],
)
def agent_skill_remove(request, code: str, payload: AgentSkillIn):
    """An agent no longer has a skill (CS-7)."""
    centre = centre_of(request, code)
    services.agent_skill_remove(actor=request.user, source=API, centre=centre, data=payload.dict())
    return _skills(request, centre)
