"""The demo's return visits at 吴越客服中心 (CS-7, CS-9, issue 12 item 11), through the
campaigns' services as the centre's people would: the agents' skills; a running members
campaign with a follow-up offer, some calls made (one reached, one no answer to try again),
the rest on 林晓's and 何美's call lists; and, where the demo's leads have not bought, a leads
campaign. Call ``load(ctx)`` after the demo's customers and cases exist (``cases``) and
before the surveys' (``surveys``); loading again adds nothing twice."""

from __future__ import annotations

import contextlib

from zhiban.core.actors import Source
from zhiban.core.errors import DomainError
from zhiban.org.models import Centre, Person

from ..models import AgentSkill, CallResult, Campaign, CampaignMember, CampaignRule, Customer
from ..services import campaigns

CENTRE = "kefu"
CLI = Source.CLI
SKILLS = {
    "linxiao": ["consultation", "return_visit", "member_care"],
    "hemei": ["complaint", "order", "return_visit"],
}
NOTES = [
    (CallResult.REACHED, "客户对送奶服务满意，希望继续订购低脂鲜奶"),
    (CallResult.NO_ANSWER, "无人接听，下午再拨"),
]


def load(ctx: dict) -> None:
    centre = Centre.objects.filter(code=CENTRE, kind="customer_service").first()
    if centre is None or Campaign.objects.filter(centre=centre).exists():
        return
    people = {p.username: p for p in Person.objects.filter(memberships__centre=centre)}
    if not {"tangyu", "luoqing", *SKILLS} <= set(people):
        return
    supervisor = people["tangyu"]
    for login, skills in SKILLS.items():
        for skill in skills:
            if not AgentSkill.objects.filter(
                centre=centre, person=people[login], skill=skill
            ).exists():
                campaigns.agent_skill_add(
                    actor=supervisor,
                    source=CLI,
                    centre=centre,
                    data={"agent": people[login].pk, "skill": skill},
                )
    if Customer.objects.filter(centre=centre, is_member=True).exists():
        members = campaigns.campaign_create(
            actor=supervisor,
            source=CLI,
            centre=centre,
            data={
                "name": "十二月会员回访",
                "rule": CampaignRule.MEMBERS,
                "skill": "return_visit",
                "offer": "会员续订鲜奶九折",
            },
        )
        entries = CampaignMember.objects.filter(campaign=members).select_related("agent")
        for entry, (result, note) in zip(entries.order_by("pk"), NOTES, strict=False):
            campaigns.call_record(
                actor=entry.agent,
                source=CLI,
                member_id=entry.pk,
                version=entry.version,
                result=result,
                note=note,
                rest_hours_confirmed=True,  # the demo may be loaded at any hour
            )
    # every lead of the demo may have bought already: then there is no leads campaign to show
    with contextlib.suppress(DomainError):
        campaigns.campaign_create(
            actor=people["luoqing"],
            source=CLI,
            centre=centre,
            data={
                "name": "咨询线索二次跟进",
                "rule": CampaignRule.LEADS,
                "offer": "首次订购手续费九折",
            },
        )
