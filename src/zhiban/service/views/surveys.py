"""Survey pages (CS-8): a campaign's questions (add, change, remove while unanswered), the
survey of one call-list entry, and the results per period, agent, product and region as
charts and tables, exported to .xlsx, with the free-text answers paged."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import attempt, centre_page, required_version, run_service, submitted

from ..forms.surveys import ResultsForm, SurveyQuestionForm, answers_from_post
from ..models import CallResult
from ..selectors import surveys as selectors
from ..services import surveys as services
from ..survey_figures import dimension_labels, results_charts, results_xlsx, sheet_titles

AREA = "service"
WEB = Source.WEB
TEXTS_PER_PAGE = 20


def _questions_url(centre, campaign_id) -> str:
    return reverse("service:survey_questions", args=[centre.code, campaign_id])


# --- questions ------------------------------------------------------------------------------


@centre_page(AREA)
def survey_questions(request, centre, pk):
    """The campaign's questions in order, how often each was answered, and (for a group lead,
    supervisor or department head of a running campaign) the form that adds one (CS-8)."""
    campaign = selectors.survey_campaign_get(user=request.user, centre=centre, pk=pk)
    may = can(request.user, Action.SERVICE_CAMPAIGN, centre)
    form = SurveyQuestionForm(request.POST or None, centre=centre)
    status = 200
    if request.method == "POST":
        added, status = run_service(
            form,
            lambda: services.survey_question_add(
                actor=request.user, source=WEB, campaign_id=campaign.pk, data=request.POST
            ),
        )
        if added is not None:
            return redirect(_questions_url(centre, campaign.pk))
    return render(
        request,
        "service/survey_questions.html",
        {
            "campaign": campaign,
            "questions": selectors.survey_questions(
                user=request.user, centre=centre, campaign=campaign
            ),
            "form": form,
            "can_manage": may and campaign.state == "running",
        },
        status=status,
    )


@centre_page(AREA)
def survey_question(request, centre, pk):
    """One question: how often it was answered, its timeline, and while nobody answered it
    (for a group lead, supervisor or department head) the form that changes it and the button
    that removes it; the version read guards both (409)."""
    question = selectors.survey_question_get(user=request.user, centre=centre, pk=pk)
    answered = question.answers.count()
    may = can(request.user, Action.SERVICE_CAMPAIGN, centre)
    version, status = question.version, 200
    if request.method == "POST":
        form = SurveyQuestionForm(request.POST, instance=question, centre=centre)
        version = required_version(request)
        saved, status = run_service(
            form,
            lambda: services.survey_question_update(
                actor=request.user,
                source=WEB,
                question_id=question.pk,
                version=version,
                changes=submitted(SurveyQuestionForm, request.POST),
            ),
        )
        if saved is not None:
            return redirect(_questions_url(centre, question.campaign_id))
    else:
        form = SurveyQuestionForm(instance=question, centre=centre)
    return render(
        request,
        "service/survey_question.html",
        {
            "form": form,
            "question": question,
            "campaign": question.campaign,
            "version": version,
            "answered": answered,
            "can_change": may and not answered and question.campaign.state == "running",
            "events": timeline(user=request.user, centre=centre, obj=question)[:100],
        },
        status=status,
    )


@require_POST
@centre_page(AREA, Action.SERVICE_CAMPAIGN)
def survey_question_remove(request, centre, pk):
    question = selectors.survey_question_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: services.survey_question_remove(
            actor=request.user,
            source=WEB,
            question_id=question.pk,
            version=required_version(request),
        ),
    )
    return redirect(_questions_url(centre, question.campaign_id))


# --- one entry's survey ---------------------------------------------------------------------


@centre_page(AREA)
def survey_entry(request, centre, pk):
    """The survey of one reached call, given or corrected on its own (CS-8); the call list
    shows the same questions inside its call form."""
    member = selectors.survey_member_get(user=request.user, centre=centre, pk=pk)
    # the answers are the questions' own fields (answers_from_post); a refusal's messages,
    # each naming its question, stand above them
    errors, status, version = forms.Form({}), 200, member.version
    if request.method == "POST":
        version = required_version(request)
        answers = answers_from_post(member.campaign, request.POST)
        done, status = run_service(
            errors,
            lambda: services.survey_answers_record(
                actor=request.user,
                source=WEB,
                member_id=member.pk,
                version=version,
                answers=answers,
            ),
        )
        if done is not None:
            return redirect(reverse("service:survey_entry", args=[centre.code, member.pk]))
    return render(
        request,
        "service/survey_entry.html",
        {
            "member": member,
            "version": version,
            "errors": errors.non_field_errors(),
            "reached": member.result == CallResult.REACHED,
            "answers": selectors.survey_answers_of(member),
            "may_answer": can(request.user, Action.SERVICE_INTAKE, centre),
        },
        status=status,
    )


# --- results --------------------------------------------------------------------------------


def _results_form(request, centre) -> ResultsForm:
    data = {k: request.GET.get(k, "") for k in ("campaign", "start", "end", "period")}
    campaigns = selectors.survey_campaigns(user=request.user, centre=centre)
    return ResultsForm(data, centre=centre, campaigns=campaigns)


def _texts_page(request, centre, chosen):
    texts = selectors.survey_texts(
        user=request.user,
        centre=centre,
        campaign=chosen["campaign"],
        start=chosen["start"],
        end=chosen["end"],
    )
    return Paginator(texts, TEXTS_PER_PAGE).get_page(request.GET.get("page"))


@centre_page(AREA)
def survey_results(request, centre):
    """The survey's figures for a campaign (or all) over a span, by period, agent, product and
    region: charts, the same figures as tables, .xlsx (``?export=xlsx``) and the free text.
    Bad filters answer 422 with the form and its messages."""
    form = _results_form(request, centre)
    if not form.is_valid():
        return render(request, "service/survey_results.html", {"form": form}, status=422)
    chosen = {k: form.cleaned_data[k] for k in ("campaign", "start", "end", "period")}
    results = selectors.survey_results(user=request.user, centre=centre, **chosen)
    shown = ResultsForm(  # the span counted, the defaults filled in
        initial=chosen,
        centre=centre,
        campaigns=selectors.survey_campaigns(user=request.user, centre=centre),
    )
    if request.GET.get("export") == "xlsx":
        texts = selectors.survey_texts(
            user=request.user,
            centre=centre,
            campaign=chosen["campaign"],
            start=chosen["start"],
            end=chosen["end"],
        )
        return results_xlsx(results, texts, centre)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    labels, titles = dimension_labels(), sheet_titles()
    return render(
        request,
        "service/survey_results.html",
        {
            "form": shown,
            "results": results,
            "charts": results_charts(results),
            "tables": [
                (key, labels[key], titles[key], results.breakdowns[key])
                for key in ("period", "agent", "product", "region")
            ],
            "texts": _texts_page(request, centre, chosen),
            "query": query.urlencode(),
        },
    )


@centre_page(AREA)
def survey_texts(request, centre):
    """The free-text answers, a page at a time (htmx swaps the list in the results page)."""
    form = _results_form(request, centre)
    if not form.is_valid():
        return render(request, "service/survey_results.html", {"form": form}, status=422)
    chosen = {k: form.cleaned_data[k] for k in ("campaign", "start", "end")}
    query = request.GET.copy()
    query.pop("page", None)
    context = {"texts": _texts_page(request, centre, chosen), "query": query.urlencode()}
    if request.htmx:
        return render(request, "service/_survey_texts.html", context)
    return redirect(
        reverse("service:survey_results", args=[centre.code]) + "?" + request.GET.urlencode()
    )
