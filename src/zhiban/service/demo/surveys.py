"""The demo's satisfaction surveys at 吴越客服中心 (CS-8, issue 12 item 11), through the surveys'
services: each running return-visit campaign without questions gets the centre's three (two
scores and a choice), and each reached call without answers gets plausible ones — most
customers pleased, some not, a few words now and then; then one more question, as a
supervisor adds one after the first calls (unanswered, so it may still be changed). Call ``load(ctx)`` after the demo's
campaigns and their calls exist (``service/demo.py``); loading again adds nothing twice."""

from __future__ import annotations

import random

from django.db import transaction

from zhiban.core.actors import DEMO, Source

from ..models import CallResult, Campaign, CampaignMember, CampaignState, QuestionKind
from ..services import surveys

CENTRE = "kefu"
QUESTIONS = [
    {"text": "您对送货速度满意吗？", "kind": QuestionKind.SCORE},
    {"text": "您对客服人员的服务态度满意吗？", "kind": QuestionKind.SCORE},
    {
        "text": "您是从哪里知道我们的产品的？",
        "kind": QuestionKind.CHOICE,
        "choices": ["电视广告", "朋友推荐", "网店", "超市", "其他"],
    },
]
# added by the supervisor after the first calls: not answered yet, so it may still be changed
LATER = {
    "text": "您愿意把我们推荐给亲友吗？",
    "kind": QuestionKind.CHOICE,
    "choices": ["愿意", "不一定", "不愿意"],
}
SCORES = [5, 5, 5, 4, 4, 4, 3, 2]
SAID = ["送货很准时", "希望能早上送到", "客服很耐心", "价格有点贵", "包装破损过一次", "会继续订"]


def load(ctx: dict) -> None:
    running = Campaign.objects.filter(centre__code=CENTRE, state=CampaignState.RUNNING)
    for campaign in running:
        if not campaign.questions.exists():
            for question in QUESTIONS:
                surveys.survey_question_add(
                    actor=DEMO, source=Source.CLI, campaign_id=campaign.pk, data=question
                )
        _answer_reached(campaign)
        if not campaign.questions.filter(text=LATER["text"]).exists():
            surveys.survey_question_add(
                actor=DEMO, source=Source.CLI, campaign_id=campaign.pk, data=LATER
            )


def _answer_reached(campaign) -> None:
    questions = list(campaign.questions.order_by("position"))
    waiting = CampaignMember.objects.filter(
        campaign=campaign, result=CallResult.REACHED, answers__isnull=True
    ).select_related("campaign__centre", "agent")
    for member in waiting:
        draw = random.Random(member.pk)  # the same answers whenever the demo is loaded
        answers = []
        for question in questions:
            said = draw.choice(SAID) if draw.random() < 0.3 else ""
            if question.kind == QuestionKind.SCORE:
                answers.append(
                    {"question": question.pk, "score": draw.choice(SCORES), "text": said}
                )
            else:
                answers.append({"question": question.pk, "choice": draw.choice(question.choices)})
        with transaction.atomic():
            surveys.survey_answers_save(
                actor=DEMO, source=Source.CLI, member=member, answers=answers
            )
