"""Customer service (客服, CS-1 … CS-11): customers, contacts and cases, complaints, orders,
follow-ups, return-visit campaigns with surveys, scripts, the monthly customer records and
the hotline's calls. Fields, constraints and transition tables only; every change goes
through ``service.services``."""

from .calls import Call, CallDirection, CallState
from .campaigns import (
    DONE_RESULTS,
    CallAttempt,
    CallResult,
    Campaign,
    CampaignMember,
    CampaignRule,
    CampaignState,
    QuestionKind,
    SurveyAnswer,
    SurveyQuestion,
)
from .cases import (
    OPEN_CASE_STATES,
    Case,
    CaseState,
    Category,
    Channel,
    Contact,
    Department,
    DepartmentFunction,
)
from .complaints import Complaint, ComplaintKind, ServiceFault
from .customers import AgentSkill, Customer, CustomerType, PhoneKind, Skill
from .followups import FollowUp, FollowUpKind
from .orders import Order, OrderHandoff, OrderState
from .records import CustomerImport, SpotCheck
from .scripts import Script, ScriptKind, ScriptRevision

__all__ = [
    "DONE_RESULTS",
    "OPEN_CASE_STATES",
    "AgentSkill",
    "Call",
    "CallAttempt",
    "CallDirection",
    "CallResult",
    "CallState",
    "Campaign",
    "CampaignMember",
    "CampaignRule",
    "CampaignState",
    "Case",
    "CaseState",
    "Category",
    "Channel",
    "Complaint",
    "ComplaintKind",
    "Contact",
    "Customer",
    "CustomerImport",
    "CustomerType",
    "Department",
    "DepartmentFunction",
    "FollowUp",
    "FollowUpKind",
    "Order",
    "OrderHandoff",
    "OrderState",
    "PhoneKind",
    "QuestionKind",
    "Script",
    "ScriptKind",
    "ScriptRevision",
    "ServiceFault",
    "Skill",
    "SpotCheck",
    "SurveyAnswer",
    "SurveyQuestion",
]
