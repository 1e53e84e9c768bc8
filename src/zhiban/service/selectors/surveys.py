"""Scoped reads of the surveys (CS-8): a campaign's questions, an entry's answers, and the
results per period, agent, product and region, aggregated in the database.

In the results a question is known by its kind and text, so the same question asked in
several campaigns counts as one. An answer counts towards a question's figures when it gives
a score (score questions) or a choice (choice questions); free text alone is listed, not
counted. The product of an answer is the product of the customer's latest order delivered
before the answer was given ("" when there is none, shown as —); the region is the customer's
region as it is now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext as _

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import (
    Campaign,
    CampaignMember,
    Order,
    OrderState,
    QuestionKind,
    SurveyAnswer,
    SurveyQuestion,
)

DIMENSIONS = ("period", "agent", "product", "region")
NONE_LABEL = "—"


# --- records --------------------------------------------------------------------------------


def survey_campaigns(*, user, centre):
    """The centre's campaigns, running first, for the results' filter and the survey pages."""
    return limit(Campaign.objects.filter(centre=centre), user).order_by("state", "-starts_at")


def survey_campaign_get(*, user, centre, pk) -> Campaign:
    return get_or_404(survey_campaigns(user=user, centre=centre), pk)


def survey_questions(*, user, centre, campaign):
    """The campaign's questions in order, each with how often it was answered."""
    rows = SurveyQuestion.objects.filter(campaign=campaign, campaign__centre=centre)
    return (
        limit(rows, user, field="campaign__centre")
        .annotate(answer_count=Count("answers"))
        .order_by("position", "pk")
    )


def survey_question_get(*, user, centre, pk) -> SurveyQuestion:
    rows = SurveyQuestion.objects.filter(campaign__centre=centre).select_related("campaign")
    return get_or_404(limit(rows, user, field="campaign__centre"), pk)


def survey_member_get(*, user, centre, pk) -> CampaignMember:
    rows = CampaignMember.objects.filter(campaign__centre=centre).select_related(
        "campaign", "customer", "agent"
    )
    return get_or_404(limit(rows, user, field="campaign__centre"), pk)


def survey_answers_of(member) -> list[SurveyAnswer]:
    """An entry's answers, in the order of the questions."""
    return list(
        member.answers.select_related("question", "by").order_by("question__position", "pk")
    )


@dataclass
class SurveyRow:
    """One question of the call form's survey with what it holds now."""

    question: SurveyQuestion
    score: str = ""
    choice: str = ""
    text: str = ""


def survey_rows(member, post=None) -> list[SurveyRow]:
    """The questions of the entry's campaign with the values the call form shows: what was
    just posted (a refused form shown again), else the answers recorded."""
    from ..forms.surveys import field_names

    questions = SurveyQuestion.objects.filter(campaign_id=member.campaign_id).order_by(
        "position", "pk"
    )
    rows = []
    answers = {} if post is not None else {a.question_id: a for a in member.answers.all()}
    for question in questions:
        if post is not None:
            score, choice, text = (post.get(n, "") for n in field_names(question.pk))
            rows.append(SurveyRow(question, score, choice, text))
        elif (answer := answers.get(question.pk)) is not None:
            score = str(answer.score) if answer.score is not None else ""
            rows.append(SurveyRow(question, score, answer.choice, answer.text))
        else:
            rows.append(SurveyRow(question))
    return rows


# --- results --------------------------------------------------------------------------------


@dataclass
class ChoiceShare:
    choice: str
    count: int
    share: float | None  # of the question's choices in the row, 0–1


@dataclass
class Cell:
    """One question in one row: how many answered it, their average score (score questions)
    or the share of each choice (choice questions)."""

    answers: int = 0
    average: float | None = None
    choices: list[ChoiceShare] = field(default_factory=list)


@dataclass
class Question:
    key: str
    kind: str
    text: str
    position: int
    choices: list[str]
    total: Cell = field(default_factory=Cell)

    @property
    def is_score(self) -> bool:
        return self.kind == QuestionKind.SCORE


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]

    @property
    def answers(self) -> int:
        return sum(c.answers for c in self.cells)


@dataclass
class SurveyResults:
    start: date
    end: date  # the last day shown
    period: str  # month | week
    campaign: Campaign | None
    questions: list[Question]
    breakdowns: dict[str, list[Row]]
    calls: int  # reached calls with at least one answer

    @property
    def score_questions(self) -> list[Question]:
        return [q for q in self.questions if q.is_score]

    @property
    def choice_questions(self) -> list[Question]:
        return [q for q in self.questions if not q.is_score]


def _key(kind: str, text: str) -> str:
    return f"{kind}:{text}"


def survey_answers(*, user, centre, campaign=None, start: date, end: date):
    """The centre's answers given from the first to the last day (the centre's zone)."""
    since = datetime(start.year, start.month, start.day, tzinfo=centre.tz)
    until = datetime(end.year, end.month, end.day, tzinfo=centre.tz) + timedelta(days=1)
    rows = SurveyAnswer.objects.filter(
        question__campaign__centre=centre, at__gte=since, at__lt=until
    )
    if campaign is not None:
        rows = rows.filter(question__campaign=campaign)
    return limit(rows, user, field="question__campaign__centre")


def survey_texts(*, user, centre, campaign=None, start: date, end: date):
    """The free-text answers, latest first."""
    return (
        survey_answers(user=user, centre=centre, campaign=campaign, start=start, end=end)
        .exclude(text="")
        .select_related("question__campaign", "by", "member__customer")
        .order_by("-at", "-pk")
    )


def _product():
    """The product of the customer's latest order delivered before the answer."""
    delivered = Order.objects.filter(
        customer=OuterRef("member__customer"),
        state=OrderState.DELIVERED,
        delivered_at__lte=OuterRef("at"),
    ).order_by("-delivered_at", "-pk")
    return Subquery(delivered.values("product")[:1])


def _periods(start: date, end: date, period: str) -> list[date]:
    """Every period's first day from the one holding ``start`` to the one holding ``end``."""
    if period == "week":
        first = start - timedelta(days=start.weekday())
        return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]
    firsts, month = [], start.replace(day=1)
    while month <= end:
        firsts.append(month)
        month = (month + timedelta(days=31)).replace(day=1)
    return firsts


def _period_label(first: date, period: str) -> str:
    if period == "week":
        year, week, _day = first.isocalendar()
        return _("%(year)s week %(week)s") % {"year": year, "week": week}
    return f"{first:%Y-%m}"


def _as_day(value, centre) -> date:
    if isinstance(value, datetime):
        return (value.astimezone(centre.tz) if value.tzinfo else value).date()
    return value


def survey_results(
    *, user, centre, campaign=None, start: date, end: date, period: str = "month"
) -> SurveyResults:
    """The survey's figures (CS-8): per question its answers, average score or choice
    shares, overall and per period, agent, product and region. Each figure is one GROUP BY
    in the database; Python only arranges the grouped rows."""
    answers = survey_answers(user=user, centre=centre, campaign=campaign, start=start, end=end)
    counted = answers.filter(
        Q(question__kind=QuestionKind.SCORE, score__isnull=False)
        | (Q(question__kind=QuestionKind.CHOICE) & ~Q(choice=""))
    )
    questions = _questions(answers, counted)
    index = {q.key: n for n, q in enumerate(questions)}
    trunc = TruncWeek if period == "week" else TruncMonth
    expressions = {
        "period": trunc("at", tzinfo=centre.tz),
        "agent": None,
        "product": _product(),
        "region": None,
    }
    fields = {"agent": ("by", "by__name"), "region": ("member__customer__region",)}
    breakdowns = {}
    for dimension in DIMENSIONS:
        expression = expressions[dimension]
        if expression is not None:
            grouped = counted.annotate(d=expression)
            keys: tuple[str, ...] = ("d",)
        else:
            grouped, keys = counted, fields[dimension]
        breakdowns[dimension] = _rows(grouped, keys, questions, index, dimension, centre)
    if questions:
        days = _periods(start, end, period)
        have = {r.key: r for r in breakdowns["period"]}
        breakdowns["period"] = [
            have.get(d.isoformat()) or Row(d.isoformat(), "", _empty(questions)) for d in days
        ]
        for row, first in zip(breakdowns["period"], days, strict=True):
            row.label = _period_label(first, period)
    calls = counted.values("member").distinct().count() if questions else 0
    return SurveyResults(start, end, period, campaign, questions, breakdowns, calls)


def _empty(questions) -> list[Cell]:
    return [
        Cell(choices=[ChoiceShare(c, 0, None) for c in q.choices]) if not q.is_score else Cell()
        for q in questions
    ]


def _questions(answers, counted) -> list[Question]:
    """The questions answered in the span, in survey order, with their overall figures."""
    asked = SurveyQuestion.objects.filter(pk__in=answers.values("question")).values_list(
        "kind", "text", "position", "choices"
    )
    found: dict[str, Question] = {}
    for kind, text, position, choices in asked.order_by("position", "pk"):
        key = _key(kind, text)
        question = found.setdefault(key, Question(key, kind, text, position, []))
        question.position = min(question.position, position)
        question.choices += [c for c in choices or [] if c not in question.choices]
    questions = sorted(found.values(), key=lambda q: (q.position, q.text))
    totals = _rows(counted, (), questions, {q.key: n for n, q in enumerate(questions)}, "", None)
    if totals:
        for question, cell in zip(questions, totals[0].cells, strict=True):
            question.total = cell
    return questions


def _rows(grouped, keys, questions, index, dimension, centre) -> list[Row]:
    """Rows of one breakdown from two grouped queries: average and count of the scores, and
    the count of each choice, per row and question."""
    by = [*keys, "question__kind", "question__text"]
    scores = (
        grouped.filter(question__kind=QuestionKind.SCORE)
        .values(*by)
        .annotate(n=Count("id"), average=Avg("score"))
        .order_by()
    )
    choices = (
        grouped.filter(question__kind=QuestionKind.CHOICE)
        .values(*by, "choice")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows: dict[str, Row] = {}

    def row_of(values) -> Row:
        key, label = _row_key(values, keys, dimension, centre)
        if key not in rows:
            rows[key] = Row(key, label, _empty(questions))
        return rows[key]

    for values in scores:
        cell = row_of(values).cells[index[_key(values["question__kind"], values["question__text"])]]
        cell.answers, cell.average = values["n"], float(values["average"])
    for values in choices:
        at = index[_key(values["question__kind"], values["question__text"])]
        cell = row_of(values).cells[at]
        cell.answers += values["n"]
        share = next((s for s in cell.choices if s.choice == values["choice"]), None)
        if share is None:  # a choice no longer offered by any question asked
            share = ChoiceShare(values["choice"], 0, None)
            cell.choices.append(share)
        share.count += values["n"]
    for row in rows.values():
        for cell in row.cells:
            for share in cell.choices:
                share.share = share.count / cell.answers if cell.answers else None
    return _ordered(list(rows.values()), dimension)


def _row_key(values, keys, dimension, centre) -> tuple[str, str]:
    if dimension == "period":
        first = _as_day(values["d"], centre)
        return first.isoformat(), ""
    if dimension == "agent":
        return str(values["by"]), values["by__name"]
    if dimension == "product":
        return values["d"] or "", values["d"] or NONE_LABEL
    if dimension == "region":
        region = values["member__customer__region"] or ""
        return region, region or NONE_LABEL
    return "", ""


def _ordered(rows: list[Row], dimension: str) -> list[Row]:
    if dimension in ("period", "agent"):
        return sorted(rows, key=lambda r: (r.key if dimension == "period" else r.label, r.key))
    # products and regions: the most answered first, the unknown (—) last
    return sorted(rows, key=lambda r: (r.key == "", -r.answers, r.label))
