"""Return-visit campaigns (回访) and their call lists (CS-7, CS-9), with the survey each
call may carry (CS-8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel

from .customers import Skill


class CampaignRule(models.TextChoices):
    """CS-7, CS-9: which customers a campaign selects."""

    DELIVERED = "delivered", _("Delivered 7–15 working days ago")
    COMPLAINT_CLOSED = "complaint_closed", _("Complaint closed 3–7 days ago")
    MEMBERS = "members", _("All member customers")
    LEADS = "leads", _("Leads not converted after a day")


class CampaignState(models.TextChoices):
    RUNNING = "running", _("Running (进行中)")
    FINISHED = "finished", _("Finished (已完成)")


class Campaign(VersionedModel):
    """A return-visit campaign (CS-7): selected by a rule, assigned evenly across the agents
    by open load and skill, due within ``service.return_visit_days``; a members campaign
    finishes only when every member was visited. A follow-up offer (CS-9) may be made on its
    calls, each recorded with who approved it."""

    FLOW = Flow(
        "service_campaign",
        CampaignState,
        initial=CampaignState.RUNNING,
        rule="CS-7",
        transitions=[Transition("finish", (CampaignState.RUNNING,), CampaignState.FINISHED)],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=100)
    rule = models.CharField(_("rule"), max_length=20, choices=CampaignRule.choices)
    skill = models.CharField(
        _("skill needed"),
        max_length=20,
        blank=True,
        choices=Skill.choices,
    )
    script = models.ForeignKey(
        "service.Script",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("script"),
    )
    offer = models.CharField(
        _("follow-up offer"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 10 percent off the fee after two days (CS-9)"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.RUNNING
    )
    starts_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Empty when the demo or a command created it"),
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("return-visit campaign (回访活动)")
        verbose_name_plural = _("return-visit campaigns")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["centre", "state", "starts_at"], name="service_campaign_state")
        ]

    def __str__(self) -> str:
        return self.name


class CallResult(models.TextChoices):
    """CS-7: how a return-visit call ended."""

    PENDING = "pending", _("Not called yet (待回访)")
    REACHED = "reached", _("Reached (已回访)")
    NO_ANSWER = "no_answer", _("No answer (无人接听)")
    REFUSED = "refused", _("Refused (拒访)")
    WRONG_NUMBER = "wrong_number", _("Wrong number (号码错误)")


DONE_RESULTS = [CallResult.REACHED, CallResult.REFUSED, CallResult.WRONG_NUMBER]


class CampaignMember(VersionedModel):
    """One customer on one agent's call list (CS-7): its latest result, the window of the
    next try after no answer, and the follow-up offer made, with who approved it (CS-9)."""

    campaign = models.ForeignKey(
        "service.Campaign",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("campaign"),
    )
    customer = models.ForeignKey(
        "service.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    result = models.CharField(
        _("result"), max_length=12, choices=CallResult.choices, default=CallResult.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    retry_after = models.DateTimeField(_("try again from"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("last call"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    case = models.ForeignKey(
        "service.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
        help_text=_("The closed complaint or the lead that selected the customer"),
    )
    since = models.DateTimeField(
        _("selected for"),
        null=True,
        blank=True,
        help_text=_("When the delivery, the complaint's close or the lead was (CS-7, CS-9)"),
    )
    offer = models.CharField(_("offer made"), max_length=100, blank=True)
    offer_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offer approved by"),
    )
    offered_at = models.DateTimeField(_("offer made at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call-list entry (回访名单)")
        verbose_name_plural = _("call-list entries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="service_member_unique")
        ]
        indexes = [
            models.Index(fields=["agent", "result"], name="service_member_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.customer}"


class CallAttempt(models.Model):
    """One return-visit call (CS-7): when, by whom, the result, and whether it was made inside
    the customer's rest hours after the warning."""

    member = models.ForeignKey(
        "service.CampaignMember",
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("call-list entry"),
    )
    at = models.DateTimeField(_("time of call"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    result = models.CharField(_("result"), max_length=12, choices=CallResult.choices)
    in_rest_hours = models.BooleanField(_("inside rest hours"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("return-visit call")
        verbose_name_plural = _("return-visit calls")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.get_result_display()}"


class QuestionKind(models.TextChoices):
    SCORE = "score", _("Score 1–5")
    CHOICE = "choice", _("Choice")


SCORES = range(1, 6)  # CS-8: a score is 1 (very dissatisfied) … 5 (very satisfied)
CHOICES_MIN, CHOICES_MAX = 2, 8  # CS-8: a choice question offers 2–8 choices
CHOICE_LENGTH = 60


class SurveyQuestion(VersionedModel):
    """A survey question of a campaign (CS-8): a score 1–5 or a choice among 2–8 answers, with
    free text always offered beside it. Changed or removed only while nobody answered it."""

    campaign = models.ForeignKey(
        "service.Campaign",
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("campaign"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["campaign", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyAnswer(models.Model):
    """An answer recorded on a return-visit call (CS-8): a score or a choice, and free text;
    by whom and when, for the results per period, agent, product and region."""

    member = models.ForeignKey(
        "service.CampaignMember",
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("call-list entry"),
    )
    question = models.ForeignKey(
        "service.SurveyQuestion",
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=CHOICE_LENGTH, blank=True)
    text = models.TextField(_("free text"), blank=True)
    at = models.DateTimeField(_("answered"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "question"], name="service_answer_unique"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="service_answer_score",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "at"], name="service_answer_question"),
            models.Index(fields=["at"], name="service_answer_at"),
        ]

    def __str__(self) -> str:
        return f"{self.question} · {self.score or self.choice}"
