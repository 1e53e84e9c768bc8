"""Return-visit pages (CS-7, CS-9): the campaigns (running first) and a new one from a rule;
a campaign's progress, due clock, coverage and call list with its .xlsx export; the agent's
call list due now and the call page — phone first: the number to tap, the rest-hours warning
with its explicit "call anyway", the customer's history, the scripts, the survey, the result
buttons, the follow-up offer and the move to another agent; the agents' skills."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.exports import xlsx_response
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import deadline_list, timeline
from zhiban.core.web import attempt, centre_page, required_version, run_service

from .. import phones, resthours
from ..forms.campaigns import AgentSkillForm, CallForm, CampaignForm
from ..forms.surveys import answers_from_post
from ..models import CallResult, CampaignRule, CampaignState, Skill
from ..resources.campaigns import CALL_LIST
from ..selectors import campaigns as selectors
from ..selectors.customers import customer_history
from ..services import campaigns as services

AREA = "service"
WEB = Source.WEB


def _campaign_url(centre, pk) -> str:
    return reverse("service:campaign_detail", args=[centre.code, pk])


def _member_url(centre, pk) -> str:
    return reverse("service:member_detail", args=[centre.code, pk])


def _call_list_url(centre) -> str:
    return reverse("service:call_list", args=[centre.code])


# --- campaigns -----------------------------------------------------------------------------------


@centre_page(AREA)
def campaign_list(request, centre):
    """The centre's campaigns, running first, with their progress (CS-7)."""
    page = Paginator(selectors.campaign_list(user=request.user, centre=centre), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "service/campaigns.html",
        {"page": page, "can_create": can(request.user, Action.SERVICE_CAMPAIGN, centre)},
    )


@centre_page(AREA, Action.SERVICE_CAMPAIGN)
def campaign_new(request, centre):
    """A campaign from a rule, assigned at once (CS-7, CS-9)."""
    form = CampaignForm(request.POST or None, centre=centre, initial=request.GET.dict())
    status = 200
    if request.method == "POST":
        campaign, status = run_service(
            form,
            lambda: services.campaign_create(
                actor=request.user, source=WEB, centre=centre, data=request.POST
            ),
        )
        if campaign is not None:
            return HttpResponseRedirect(_campaign_url(centre, campaign.pk))
    return render(request, "service/campaign_new.html", {"form": form}, status=status)


def _filters(request) -> dict:
    agent = request.GET.get("agent", "")
    result = request.GET.get("result", "")
    return {
        "agent": int(agent) if agent.isdigit() and len(agent) < 10 else None,
        "result": result if result in CallResult.values else "",
    }


@centre_page(AREA)
def campaign_detail(request, centre, pk):
    """Progress per agent and per result, the due time and its clock, coverage and who is not
    yet visited, the call list (CS-7)."""
    campaign = selectors.campaign_get(user=request.user, centre=centre, pk=pk)
    chosen = _filters(request)
    rows = selectors.campaign_members(
        user=request.user, centre=centre, campaign=campaign, **chosen
    ).prefetch_related(None)
    progress = selectors.campaign_progress(campaign)
    deadlines = deadline_list(user=request.user, centre=centre).filter(
        content_type__app_label="service",
        content_type__model="campaign",
        object_id=str(campaign.pk),
    )
    return render(
        request,
        "service/campaign.html",
        {
            "campaign": campaign,
            "progress": progress,
            "overdue": campaign.state == CampaignState.RUNNING and campaign.due_at < timezone.now(),
            "deadlines": deadlines,
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "chosen": chosen,
            "per_result": [
                (value, label, progress.per_result.get(value, 0))
                for value, label in CallResult.choices
            ],
            "is_members": campaign.rule == CampaignRule.MEMBERS,
            "can_finish": campaign.state == CampaignState.RUNNING
            and can(request.user, Action.SERVICE_CAMPAIGN, centre),
            "events": timeline(user=request.user, centre=centre, obj=campaign)[:50],
        },
    )


@centre_page(AREA, Action.SERVICE_CAMPAIGN)
@require_POST
def campaign_finish(request, centre, pk):
    campaign = selectors.campaign_get(user=request.user, centre=centre, pk=pk)
    if attempt(
        request,
        lambda: services.campaign_finish(
            actor=request.user,
            source=WEB,
            campaign_id=campaign.pk,
            version=required_version(request),
        ),
    ):
        messages.success(request, _("The campaign is finished."))
    return HttpResponseRedirect(_campaign_url(centre, campaign.pk))


@centre_page(AREA)
def campaign_export(request, centre, pk):
    """The call list with its results as .xlsx, filtered as the page is (CS-7, RPT-2)."""
    campaign = selectors.campaign_get(user=request.user, centre=centre, pk=pk)
    rows = selectors.campaign_export_rows(
        user=request.user, centre=centre, campaign=campaign, **_filters(request)
    )
    return xlsx_response(CALL_LIST, rows, campaign.name, f"{centre.code}-campaign-{campaign.pk}")


# --- the call list -------------------------------------------------------------------------------


@centre_page(AREA)
def call_list(request, centre):
    """The agent's customers to call now, and those waiting for their retry window (CS-7)."""
    now = timezone.now()
    windows = resthours.windows_of(centre)
    return render(
        request,
        "service/call_list.html",
        {
            "due": selectors.call_list(user=request.user, centre=centre, now=now)[:200],
            "later": selectors.call_list_later(user=request.user, centre=centre, now=now)[:50],
            "rest_now": resthours.inside(now, centre.tz, windows),
            "rest_hours": resthours.shown(windows),
        },
    )


def _call_page(request, centre, member, call_form=None, status=200):
    now = timezone.now()
    windows = resthours.windows_of(centre)
    confirmed = request.GET.get("confirm") == "1" or request.POST.get("rest_hours_confirmed")
    campaign = member.campaign
    offer_from = None
    if campaign.rule == CampaignRule.LEADS and member.since:
        offer_from = member.since + services.OFFER_AFTER
    open_entry = member.result in selectors.OPEN_RESULTS
    return render(
        request,
        "service/member.html",
        {
            "member": member,
            "campaign": campaign,
            "customer": member.customer,
            "phone_shown": phones.shown(member.customer.phone),
            "rest_now": resthours.inside(now, centre.tz, windows),
            "rest_hours": resthours.shown(windows),
            "confirmed": bool(confirmed),
            "call_form": call_form or CallForm(),
            "results": [(v, label) for v, label in CallResult.choices if v != CallResult.PENDING],
            "can_call": open_entry
            and campaign.state == CampaignState.RUNNING
            and services.may_call(request.user, member)
            and can(request.user, Action.SERVICE_INTAKE, centre),
            "can_reassign": open_entry
            and campaign.state == CampaignState.RUNNING
            and can(request.user, Action.SERVICE_CAMPAIGN, centre),
            "can_offer": bool(campaign.offer)
            and not member.offer
            and campaign.state == CampaignState.RUNNING
            and services.may_call(request.user, member)
            and can(request.user, Action.SERVICE_INTAKE, centre),
            "offer_from": offer_from,
            "offer_early": offer_from is not None and now < offer_from,
            "agents": selectors.agents_of(centre),
            "approvers": selectors.approvers(centre),
            "earlier": selectors.earlier_visits(member),
            "history": customer_history(user=request.user, centre=centre, customer=member.customer),
            "events": timeline(user=request.user, centre=centre, obj=member)[:30],
        },
        status=status,
    )


@centre_page(AREA)
def member_detail(request, centre, pk):
    """The call page of one customer on a call list (CS-7): phone first."""
    member = selectors.member_get(user=request.user, centre=centre, pk=pk)
    return _call_page(request, centre, member)


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def member_call(request, centre, pk):
    """The result of the call; inside rest hours only after "call anyway" (CS-7)."""
    member = selectors.member_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    form = CallForm(request.POST)
    result = request.POST.get("result", "")
    answers = answers_from_post(member.campaign, request.POST) if result == "reached" else []
    done, status = run_service(
        form,
        lambda: services.call_record(
            actor=request.user,
            source=WEB,
            member_id=member.pk,
            version=version,
            result=result,
            note=request.POST.get("note", ""),
            answers=answers,
            rest_hours_confirmed=request.POST.get("rest_hours_confirmed") == "1",
        ),
    )
    if done is not None:
        messages.success(
            request,
            _("%(customer)s: %(result)s")
            % {"customer": member.customer.name, "result": done.get_result_display()},
        )
        return HttpResponseRedirect(_call_list_url(centre))
    member = selectors.member_get(user=request.user, centre=centre, pk=pk)
    return _call_page(request, centre, member, call_form=form, status=status)


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def member_offer(request, centre, pk):
    """The follow-up offer made, with who approved it (CS-9)."""
    member = selectors.member_get(user=request.user, centre=centre, pk=pk)
    if attempt(
        request,
        lambda: services.member_offer(
            actor=request.user,
            source=WEB,
            member_id=member.pk,
            version=required_version(request),
            approved_by=request.POST.get("approved_by", ""),
        ),
    ):
        messages.success(request, _("The offer is recorded."))
    return HttpResponseRedirect(_member_url(centre, member.pk))


@centre_page(AREA, Action.SERVICE_CAMPAIGN)
@require_POST
def member_reassign(request, centre, pk):
    """The entry moves to another agent of the centre (CS-7)."""
    member = selectors.member_get(user=request.user, centre=centre, pk=pk)
    if attempt(
        request,
        lambda: services.member_reassign(
            actor=request.user,
            source=WEB,
            member_id=member.pk,
            version=required_version(request),
            agent=request.POST.get("agent", ""),
        ),
    ):
        messages.success(request, _("The customer is on another agent's list now."))
    return HttpResponseRedirect(_member_url(centre, member.pk))


# --- agents' skills ------------------------------------------------------------------------------


@centre_page(AREA)
def agent_skills(request, centre):
    """Each agent's skills, which campaigns may ask for (CS-7); the supervisor switches them."""
    form = AgentSkillForm(request.POST or None, centre=centre)
    status = 200
    if request.method == "POST":
        change = (
            services.agent_skill_remove
            if request.POST.get("action") == "remove"
            else services.agent_skill_add
        )
        _done, status = run_service(
            form,
            lambda: change(actor=request.user, source=WEB, centre=centre, data=request.POST),
        )
        if status == 200:
            return HttpResponseRedirect(reverse("service:agent_skills", args=[centre.code]))
    rows = selectors.agent_skill_list(user=request.user, centre=centre)
    return render(
        request,
        "service/agent_skills.html",
        {
            "rows": [
                (
                    row.person,
                    [(value, label, value in row.skills) for value, label in Skill.choices],
                )
                for row in rows
            ],
            "skills": Skill.choices,
            "form": form,
            "can_configure": can(request.user, Action.SERVICE_CONFIGURE, centre),
        },
        status=status,
    )
