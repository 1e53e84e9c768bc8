"""Satisfaction surveys (CS-8): the questions of a return-visit campaign, and the answers
given on its calls — a score 1–5 or one of a question's choices, with free text beside it.

A question is changed or removed only while nobody has answered it (the results must keep
meaning what was asked). Answers are recorded only on a reached call; giving them again
replaces the earlier ones, audited before and after."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.actors import is_system
from zhiban.core.errors import InvalidInput, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import ANY_VERSION, form_data, locked, save_change, validated

from ..forms.surveys import RULE, TEXT_LENGTH, SurveyQuestionForm, field_names
from ..models import (
    CallResult,
    Campaign,
    CampaignMember,
    CampaignState,
    QuestionKind,
    SurveyAnswer,
    SurveyQuestion,
)
from ..models.campaigns import SCORES


def _open_campaign(campaign) -> None:
    if campaign.state != CampaignState.RUNNING:
        raise Refused(
            _("The campaign %(name)s is finished: its survey stays as it was (CS-8).")
            % {"name": campaign.name},
            code="campaign_finished",
            rule=RULE,
        )


def _unanswered(question) -> None:
    count = question.answers.count()
    if count:
        raise Refused(
            _(
                "The question “%(text)s” has %(n)s answers already: it stays as it was asked "
                "(CS-8). Add a new question instead."
            )
            % {"text": question.text, "n": count},
            code="answered",
            rule=RULE,
        )


@transaction.atomic
def survey_question_add(*, actor, source, campaign_id, data) -> SurveyQuestion:
    """A question added to a running campaign's survey (CS-8), after the others unless a
    position is given."""
    campaign = locked(Campaign.objects.select_related("centre"), campaign_id, ANY_VERSION)
    require(actor, Action.SERVICE_CAMPAIGN, campaign.centre)
    _open_campaign(campaign)
    form = validated(SurveyQuestionForm, data, centre=campaign.centre)
    question = form.save(commit=False)
    question.campaign = campaign
    if form.cleaned_data.get("position") is None:
        last = campaign.questions.aggregate(last=Max("position"))["last"] or 0
        question.position = last + 1
    question.save()
    audit.record(
        actor=actor,
        source=source,
        verb="survey.question_add",
        obj=question,
        after=audit.snapshot(question),
        centre=campaign.centre,
    )
    live.refresh_on_commit(campaign.centre, "service")
    return question


@transaction.atomic
def survey_question_update(*, actor, source, question_id, version: int, changes) -> SurveyQuestion:
    """A question's text, kind, choices or position changed while nobody answered it (CS-8)."""
    question = locked(
        SurveyQuestion.objects.select_related("campaign__centre"), question_id, version
    )
    campaign = question.campaign
    require(actor, Action.SERVICE_CAMPAIGN, campaign.centre)
    _open_campaign(campaign)
    _unanswered(question)
    before = audit.snapshot(question)
    data = form_data(question, SurveyQuestionForm)
    data.update(changes)
    form = validated(SurveyQuestionForm, data, instance=question, centre=campaign.centre)
    question = form.save(commit=False)
    if form.cleaned_data.get("position") is None:
        question.position = before["position"]
    if question.kind == QuestionKind.SCORE:
        question.choices = []
    save_change(
        question,
        actor=actor,
        source=source,
        verb="survey.question_update",
        before=before,
        centre=campaign.centre,
    )
    live.refresh_on_commit(campaign.centre, "service")
    return question


@transaction.atomic
def survey_question_remove(*, actor, source, question_id, version: int) -> None:
    """A question taken out of the survey while nobody answered it (CS-8)."""
    question = locked(
        SurveyQuestion.objects.select_related("campaign__centre"), question_id, version
    )
    campaign = question.campaign
    require(actor, Action.SERVICE_CAMPAIGN, campaign.centre)
    _open_campaign(campaign)
    _unanswered(question)
    before = audit.snapshot(question)
    object_id, shown = question.pk, str(question)
    question.delete()
    audit.record(
        actor=actor,
        source=source,
        verb="survey.question_remove",
        before=before,
        centre=campaign.centre,
        object_type=SurveyQuestion._meta.label_lower,
        object_id=str(object_id),
        object_repr=shown,
    )
    live.refresh_on_commit(campaign.centre, "service")


# --- answers --------------------------------------------------------------------------------


def _whole(value) -> int | None:
    """A whole number as given (an int, or digits from a page); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _score(value) -> tuple[int | None, bool]:
    """A score as given and whether it is one: empty is no score; else a whole 1–5."""
    if value is None or value == "":
        return None, True
    score = _whole(value)
    return (score, True) if score in SCORES else (None, False)


def _checked(questions: dict, answers) -> list[tuple[SurveyQuestion, int | None, str, str]]:
    """The answers as (question, score, choice, text); every problem a message on the
    question's field, naming the question and CS-8 (422)."""
    if not isinstance(answers, (list, tuple)):
        raise InvalidInput(rule=RULE, fields={"answers": [_("Give the answers as a list (CS-8).")]})
    problems: dict[str, list[str]] = {}
    result: list[tuple[SurveyQuestion, int | None, str, str]] = []
    seen: set[int] = set()

    def refuse(name: str, message: str) -> None:
        problems.setdefault(name, []).append(f"{message} ({RULE})")

    for given in answers:
        raw_id = given.get("question") if isinstance(given, dict) else None
        question_id = _whole(raw_id)
        question = questions.get(question_id) if question_id is not None else None
        if question is None:
            refuse(
                f"q{raw_id}" if isinstance(raw_id, int) else "answers",
                _("Question %(id)s is not a question of this campaign's survey.") % {"id": raw_id},
            )
            continue
        score_name, choice_name, text_name = field_names(question.pk)
        if question.pk in seen:
            refuse(f"q{question.pk}", _("“%(q)s” is answered twice.") % {"q": question.text})
            continue
        seen.add(question.pk)
        score, is_score = _score(given.get("score"))
        choice = given.get("choice") or ""
        text = given.get("text") or ""
        if not isinstance(choice, str) or not isinstance(text, str):
            refuse(f"q{question.pk}", _("“%(q)s”: give the answer as text.") % {"q": question.text})
            continue
        choice, text = choice.strip(), text.strip()
        if not is_score:
            refuse(
                score_name,
                _("“%(q)s”: the score must be a whole number from 1 to 5.") % {"q": question.text},
            )
        elif score is not None and question.kind != QuestionKind.SCORE:
            refuse(
                score_name,
                _("“%(q)s” is answered with one of its choices, not a score.")
                % {"q": question.text},
            )
        if choice and question.kind != QuestionKind.CHOICE:
            refuse(
                choice_name,
                _("“%(q)s” is answered with a score 1–5, not a choice.") % {"q": question.text},
            )
        elif choice and choice not in question.choices:
            refuse(
                choice_name,
                _("“%(q)s”: “%(choice)s” is not one of its choices (%(choices)s).")
                % {"q": question.text, "choice": choice, "choices": "、".join(question.choices)},
            )
        if len(text) > TEXT_LENGTH:
            refuse(
                text_name,
                _("“%(q)s”: the free text has at most %(n)s characters.")
                % {"q": question.text, "n": TEXT_LENGTH},
            )
        result.append((question, score, choice, text))
    if problems:
        raise InvalidInput(rule=RULE, fields=problems)
    return result


def _shown(answers) -> str:
    """An entry's answers as the audit trail shows them, in the survey's order:
    "question: score or choice “free text”", one after the other. (Not a list of dicts under
    "answers": the timeline would read that key as the entry's reverse relation.)"""
    shown = []
    for a in sorted(answers, key=lambda a: (a.question.position, a.question_id)):
        given = str(a.score) if a.score is not None else a.choice or "—"
        shown.append(f"{a.question.text}: {given}" + (f" “{a.text}”" if a.text else ""))
    return "；".join(shown)


def survey_answers_save(*, actor, source, member, answers: list[dict]) -> list[SurveyAnswer]:
    """The answers given on a return-visit call (CS-8), inside the caller's transaction (the
    call list's ``call_record`` after it set the entry's result, or
    ``survey_answers_record``). ``answers``: ``{"question": id, "score": 1–5 | None,
    "choice": str, "text": str}`` for questions of the entry's campaign. Refused unless the
    entry's call was reached (409); a score outside 1–5, a choice the question does not offer
    or a question of another campaign is 422 naming the question. The answers given replace
    the earlier answers to the same questions; a question given empty loses its answer.
    Returns the entry's answers."""
    campaign = member.campaign
    require(actor, Action.SERVICE_INTAKE, campaign.centre)
    _open_campaign(campaign)
    if member.result != CallResult.REACHED:
        raise Refused(
            _(
                "Survey answers are recorded on a reached call only; this entry's call is "
                "“%(result)s” (CS-8)."
            )
            % {"result": CallResult(member.result).label},
            code="not_reached",
            rule=RULE,
        )
    questions = {q.pk: q for q in SurveyQuestion.objects.filter(campaign_id=campaign.pk)}
    checked = _checked(questions, answers)
    earlier = {
        a.question_id: a
        for a in member.answers.select_for_update(of=("self",)).select_related("question")
    }
    before = _shown(earlier.values())
    now, by = timezone.now(), (member.agent if is_system(actor) else actor)
    for question, score, choice, text in checked:
        answer = earlier.get(question.pk)
        if score is None and not choice and not text:
            if answer is not None:
                answer.delete()
                del earlier[question.pk]
            continue
        if answer is None:
            answer = SurveyAnswer(member=member, question=question)
            earlier[question.pk] = answer
        answer.score, answer.choice, answer.text, answer.at, answer.by = (
            score,
            choice,
            text,
            now,
            by,
        )
        answer.save()
    after = _shown(earlier.values())
    if after != before:
        audit.record(
            actor=actor,
            source=source,
            verb="survey.answers",
            obj=member,
            before={"survey_answers": before},
            after={"survey_answers": after},
            centre=campaign.centre,
        )
        live.refresh_on_commit(campaign.centre, "service")
    return sorted(earlier.values(), key=lambda a: (a.question.position, a.question_id))


@transaction.atomic
def survey_answers_record(
    *, actor, source, member_id, version: int, answers: list[dict]
) -> CampaignMember:
    """The survey of a reached call given or corrected on its own (CS-8): the entry's version
    is checked (409 if stale) and bumped; its agent, or a group lead / supervisor of the
    centre, records it."""
    member = locked(CampaignMember.objects.select_related("campaign__centre"), member_id, version)
    centre = member.campaign.centre
    require(actor, Action.SERVICE_INTAKE, centre)
    if member.agent_id != actor.pk:
        require(actor, Action.SERVICE_HANDOFF, centre)  # a group lead or supervisor
    survey_answers_save(actor=actor, source=source, member=member, answers=answers)
    member.version += 1
    member.save(update_fields=["version", "updated_at"])
    return member
