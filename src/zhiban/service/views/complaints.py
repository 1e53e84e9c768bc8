"""Complaint and follow-up pages (CS-3, CS-4, CS-5): the complaint list (filters, .xlsx
export, from the Resource), a complaint's page with its facts, replies, clock and the reply
form (the same section the case page shows), the reply itself; the follow-up list, a
follow-up's page and its "done"."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import back, centre_page, required_version, run_service, submitted

from ..forms.complaints import ComplaintReplyForm
from ..forms.followups import FollowUpDoneForm
from ..resources.complaints import FOLLOW_UPS
from ..selectors import complaints as complaint_selectors
from ..selectors import followups as follow_up_selectors
from ..services import complaints as complaint_services
from ..services import followups as follow_up_services

AREA = "service"


def case_url(centre, case) -> str:
    """The case's own page, once the cases work provides it; else the complaint's."""
    try:
        return reverse("service:case_detail", args=[centre.code, case.pk])
    except NoReverseMatch:
        return ""


def _complaint_page(request, centre, complaint, *, form=None, status=200):
    context = {
        "complaint": complaint,
        "case": complaint.case,
        "case_url": case_url(centre, complaint.case),
        "complaint_reply_form": form,
        "events": timeline(user=request.user, centre=centre, obj=complaint)[:100],
    }
    return render(request, "service/complaint_detail.html", context, status=status)


@centre_page(AREA)
def complaint_detail(request, centre, pk):
    complaint = complaint_selectors.complaint_get(user=request.user, centre=centre, pk=pk)
    return _complaint_page(request, centre, complaint)


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def complaint_reply(request, centre, pk):
    """CS-4: the reply given and the handling record. From the case page (htmx) a refusal
    comes back in the complaint's section beside the form, a success reloads the page."""
    complaint = complaint_selectors.complaint_get(user=request.user, centre=centre, pk=pk)
    form = ComplaintReplyForm(request.POST, centre=centre, auto_id="id_reply_%s")
    version = required_version(request)
    data = submitted(ComplaintReplyForm, request.POST)
    done, status = run_service(
        form,
        lambda: complaint_services.complaint_reply(
            actor=request.user,
            source=Source.WEB,
            case_id=complaint.case_id,
            version=version,
            data=data,
        ),
    )
    if done is not None:
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        return back(request, reverse("service:complaint_detail", args=[centre.code, pk]))
    if request.htmx:
        html = render_to_string(
            "service/_complaint.html",
            {"case": complaint.case, "complaint_reply_form": form},
            request=request,
        )
        return HttpResponse(html, status=status)
    return _complaint_page(request, centre, complaint, form=form, status=status)


# --- follow-ups (CS-3, CS-5) ------------------------------------------------------------------


def _follow_up_page(request, centre, follow_up, *, form=None, status=200):
    may_finish = follow_up.done_at is None and can(request.user, Action.SERVICE_INTAKE, centre)
    context = {
        "follow_up": follow_up,
        "case_url": case_url(centre, follow_up.case),
        "complaint": complaint_selectors.complaint_of_case(user=request.user, case=follow_up.case),
        "fields": list(zip(FOLLOW_UPS.headers(), FOLLOW_UPS.cells(follow_up), strict=True)),
        "deadline": follow_up_selectors.follow_up_deadline(follow_up),
        "done_form": (form or FollowUpDoneForm()) if may_finish or form else None,
        "events": timeline(user=request.user, centre=centre, obj=follow_up)[:100],
    }
    return render(request, "service/follow_up_detail.html", context, status=status)


@centre_page(AREA)
def follow_up_detail(request, centre, pk):
    follow_up = follow_up_selectors.follow_up_get(user=request.user, centre=centre, pk=pk)
    return _follow_up_page(request, centre, follow_up)


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def follow_up_done(request, centre, pk):
    """The apology call made or the visit paid (CS-3, CS-5): its result; the deadline met."""
    follow_up = follow_up_selectors.follow_up_get(user=request.user, centre=centre, pk=pk)
    form = FollowUpDoneForm(request.POST)
    version = required_version(request)
    done, status = run_service(
        form,
        lambda: follow_up_services.follow_up_done(
            actor=request.user,
            source=Source.WEB,
            follow_up_id=follow_up.pk,
            version=version,
            result=request.POST.get("result", ""),
        ),
    )
    if done is not None:
        return redirect(reverse("service:follow_up_detail", args=[centre.code, pk]))
    return _follow_up_page(request, centre, follow_up, form=form, status=status)
