"""The survey API (CS-8): a campaign's questions (add, change, remove with the version read,
while nobody answered them), the answers of a call-list entry, and the results per period,
agent, product and region — as JSON, as .xlsx (a sheet per table) and the free text, paged.

No ``from __future__ import annotations`` here: ninja's ``@paginate`` wrapper resolves the
parameters' annotations in its own module, where a string such as "Query[SurveyResultsIn]" means
nothing (PydanticUserError, a 500)."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import XLSX, Id, Pagination, VersionIn, centre_of
from zhiban.core.errors import InvalidInput
from zhiban.core.services import validated

from ..forms.surveys import ResultsForm
from ..models import QuestionKind
from ..selectors import surveys as selectors
from ..services import surveys as services
from ..survey_figures import results_xlsx

router = Router(tags=["service: surveys"])
API = Source.API
QuestionText = Annotated[str, Field(max_length=200)]
Choice = Annotated[str, Field(max_length=200)]
C = "/service/{code}"


class SurveyQuestionOut(Schema):
    id: int
    campaign_id: int
    position: int
    text: str
    kind: QuestionKind
    choices: list[str]
    answer_count: int = Field(0, description="Answers given: a question answered stays fixed")
    version: int


class SurveyQuestionIn(Schema):
    text: QuestionText
    kind: QuestionKind
    choices: list[Choice] = Field([], max_length=50, description="2–8 for a choice question")
    position: int | None = Field(None, description="Empty: after the other questions")


class SurveyQuestionPatch(Schema):
    version: Id
    text: QuestionText | None = None
    kind: QuestionKind | None = None
    choices: list[Choice] | None = Field(None, max_length=50)
    position: int | None = None


class SurveyAnswerIn(Schema):
    question: Id
    score: int | None = Field(None, description="1–5, score questions")
    choice: Choice = Field("", description="One of the question's choices, choice questions")
    text: Annotated[str, Field(max_length=4000)] = Field("", description="Free text")


class SurveyAnswersIn(VersionIn):
    answers: list[SurveyAnswerIn] = Field(max_length=100)


class SurveyAnswerOut(Schema):
    question_id: int
    question: str
    score: int | None
    choice: str
    text: str
    at: datetime
    by_id: int

    @staticmethod
    def resolve_question(obj) -> str:
        return obj.question.text


class EntrySurveyOut(Schema):
    """A call-list entry's survey: its result, version and answers."""

    member_id: int
    campaign_id: int
    result: str
    version: int
    answers: list[SurveyAnswerOut]


def _entry(member) -> dict:
    return {
        "member_id": member.pk,
        "campaign_id": member.campaign_id,
        "result": member.result,
        "version": member.version,
        "answers": selectors.survey_answers_of(member),
    }


def _question_out(request, code, pk):
    centre = centre_of(request, code)
    question = selectors.survey_question_get(user=request.user, centre=centre, pk=pk)
    return selectors.survey_questions(
        user=request.user, centre=centre, campaign=question.campaign
    ).get(pk=question.pk)


@router.get(
    f"{C}/campaigns/{{pk}}/questions",
    response=list[SurveyQuestionOut],
    operation_id="service_survey_question_list",
)
def survey_question_list(request, code: str, pk: Id):
    """The campaign's survey questions in order (CS-8)."""
    centre = centre_of(request, code)
    campaign = selectors.survey_campaign_get(user=request.user, centre=centre, pk=pk)
    return list(selectors.survey_questions(user=request.user, centre=centre, campaign=campaign))


@router.post(
    f"{C}/campaigns/{{pk}}/questions",
    response={201: SurveyQuestionOut},
    operation_id="service_survey_question_add",
)
def survey_question_add(request, code: str, pk: Id, payload: SurveyQuestionIn):
    """A question added to a running campaign's survey: a score 1–5, or a choice among 2–8
    answers; free text is always offered beside it (CS-8)."""
    centre = centre_of(request, code)
    campaign = selectors.survey_campaign_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict()
    question = services.survey_question_add(
        actor=request.user, source=API, campaign_id=campaign.pk, data=data
    )
    return Status(201, _question_out(request, code, question.pk))


@router.get(
    f"{C}/survey-questions/{{pk}}",
    response=SurveyQuestionOut,
    operation_id="service_survey_question_get",
)
def survey_question_get(request, code: str, pk: Id):
    return _question_out(request, code, pk)


@router.patch(
    f"{C}/survey-questions/{{pk}}",
    response=SurveyQuestionOut,
    operation_id="service_survey_question_update",
)
def survey_question_update(request, code: str, pk: Id, payload: SurveyQuestionPatch):
    """A question changed while nobody answered it (CS-8; send the version you read)."""
    centre = centre_of(request, code)
    question = selectors.survey_question_get(user=request.user, centre=centre, pk=pk)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    services.survey_question_update(
        actor=request.user, source=API, question_id=question.pk, version=version, changes=changes
    )
    return _question_out(request, code, pk)


@router.post(
    f"{C}/survey-questions/{{pk}}/remove",
    response={204: None},
    operation_id="service_survey_question_remove",
)
def survey_question_remove(request, code: str, pk: Id, payload: VersionIn):
    """A question taken out of the survey while nobody answered it (CS-8)."""
    centre = centre_of(request, code)
    question = selectors.survey_question_get(user=request.user, centre=centre, pk=pk)
    services.survey_question_remove(
        actor=request.user, source=API, question_id=question.pk, version=payload.version
    )
    return Status(204, None)


@router.get(
    f"{C}/members/{{pk}}/answers",
    response=EntrySurveyOut,
    operation_id="service_survey_answers_get",
)
def survey_answers_get(request, code: str, pk: Id):
    """A call-list entry's survey answers (CS-8)."""
    centre = centre_of(request, code)
    return _entry(selectors.survey_member_get(user=request.user, centre=centre, pk=pk))


@router.post(
    f"{C}/members/{{pk}}/answers",
    response=EntrySurveyOut,
    operation_id="service_survey_answers_record",
)
def survey_answers_record(request, code: str, pk: Id, payload: SurveyAnswersIn):
    """The survey of a reached call, given or corrected (CS-8; the entry's version): the
    answers given replace the earlier ones to the same questions, a question given empty
    loses its answer. A score outside 1–5 or a choice the question does not offer is 422
    naming the question; a call not reached is 409."""
    centre = centre_of(request, code)
    member = selectors.survey_member_get(user=request.user, centre=centre, pk=pk)
    services.survey_answers_record(
        actor=request.user,
        source=API,
        member_id=member.pk,
        version=payload.version,
        answers=[a.dict() for a in payload.answers],
    )
    return _entry(selectors.survey_member_get(user=request.user, centre=centre, pk=pk))


# --- results --------------------------------------------------------------------------------


class SurveyResultsIn(Schema):
    campaign: Id | None = Field(None, description="Empty: every campaign of the centre")
    start: date | None = Field(None, description="First day (centre's zone); empty: 6 months")
    end: date | None = Field(None, description="Last day; empty: today")
    period: Literal["month", "week"] | None = Field(None, description="The trend's period")


class SurveyChoiceShareOut(Schema):
    choice: str
    count: int
    share: float | None = Field(description="Of the question's answers in the row, 0–1")


class SurveyCellOut(Schema):
    answers: int
    average: float | None = Field(description="Score questions: the average score")
    choices: list[SurveyChoiceShareOut] = Field(description="Choice questions: each choice's share")


class SurveyQuestionFigureOut(Schema):
    key: str = Field(description="kind:text — one question across the campaigns asking it")
    kind: str
    text: str
    choices: list[str]
    total: SurveyCellOut


class SurveyRowOut(Schema):
    key: str
    label: str
    cells: list[SurveyCellOut] = Field(description="One per question, in the order of questions")


class SurveyResultsOut(Schema):
    start: date
    end: date
    period: str
    campaign_id: int | None
    calls: int = Field(description="Calls with at least one score or choice")
    questions: list[SurveyQuestionFigureOut]
    by_period: list[SurveyRowOut]
    by_agent: list[SurveyRowOut]
    by_product: list[SurveyRowOut]
    by_region: list[SurveyRowOut]


class SurveyTextOut(Schema):
    id: int
    at: datetime
    campaign_id: int
    campaign: str
    question: str
    score: int | None
    choice: str
    text: str
    agent_id: int
    agent: str
    customer: str

    @staticmethod
    def resolve_campaign_id(obj) -> int:
        return obj.question.campaign_id

    @staticmethod
    def resolve_campaign(obj) -> str:
        return obj.question.campaign.name

    @staticmethod
    def resolve_question(obj) -> str:
        return obj.question.text

    @staticmethod
    def resolve_agent_id(obj) -> int:
        return obj.by_id

    @staticmethod
    def resolve_agent(obj) -> str:
        return obj.by.name

    @staticmethod
    def resolve_customer(obj) -> str:
        return obj.member.customer.name


def _filters(request, centre, filters: SurveyResultsIn) -> dict:
    data = {k: v for k, v in filters.dict().items() if v is not None}
    campaigns = selectors.survey_campaigns(user=request.user, centre=centre)
    try:
        form = validated(ResultsForm, data, centre=centre, campaigns=campaigns)
    except InvalidInput as error:
        error.rule = error.rule or "CS-8"
        raise
    return {name: form.cleaned_data[name] for name in ("campaign", "start", "end", "period")}


def _results(request, code, filters):
    centre = centre_of(request, code)
    chosen = _filters(request, centre, filters)
    return centre, chosen, selectors.survey_results(user=request.user, centre=centre, **chosen)


@router.get(
    f"{C}/surveys/results",
    response=SurveyResultsOut,
    operation_id="service_survey_results",
)
def survey_results(request, code: str, filters: Query[SurveyResultsIn]):
    """The survey's figures (CS-8): per question its answers and average score or choice
    shares, overall and per period, agent, product (of the customer's latest delivery before
    the answer) and region."""
    _centre, chosen, results = _results(request, code, filters)
    return {
        "start": results.start,
        "end": results.end,
        "period": results.period,
        "campaign_id": chosen["campaign"].pk if chosen["campaign"] else None,
        "calls": results.calls,
        "questions": results.questions,
        "by_period": results.breakdowns["period"],
        "by_agent": results.breakdowns["agent"],
        "by_product": results.breakdowns["product"],
        "by_region": results.breakdowns["region"],
    }


@router.get(
    f"{C}/surveys/results.xlsx",
    operation_id="service_survey_results_export",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def survey_results_export(request, code: str, filters: Query[SurveyResultsIn]):
    """The same figures as .xlsx: overview, by period, agent, product and region, and the
    free text, a sheet each (CS-8)."""
    centre, chosen, results = _results(request, code, filters)
    texts = selectors.survey_texts(
        user=request.user,
        centre=centre,
        campaign=chosen["campaign"],
        start=chosen["start"],
        end=chosen["end"],
    )
    return results_xlsx(results, texts, centre)


@router.get(
    f"{C}/surveys/texts",
    response=list[SurveyTextOut],
    operation_id="service_survey_texts",
)
@paginate(Pagination)
def survey_texts(request, code: str, filters: Query[SurveyResultsIn]):
    """The free-text answers, latest first (CS-8)."""
    centre = centre_of(request, code)
    chosen = _filters(request, centre, filters)
    chosen.pop("period")
    return selectors.survey_texts(user=request.user, centre=centre, **chosen)
