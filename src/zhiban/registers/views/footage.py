"""Footage-access pages (REG-2): a request's page with its retention end, its accesses and
the form recording a viewing, copy or download; the leader's decision (``common``)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.web import centre_page, required_version, run_service

from ..forms.footage import FootageAccessForm
from ..models import ApprovalState
from ..resources.footage import FOOTAGE_LIST
from ..selectors import footage as selectors
from ..services import footage as services
from .common import AREA, entry_page


def footage_page(request, centre, request_obj, *, access_form=None, **context):
    may_access = request_obj.state != ApprovalState.REFUSED
    return entry_page(
        request,
        centre,
        FOOTAGE_LIST,
        request_obj,
        extra_template="registers/_footage.html",
        retention_end=selectors.retention_end(request_obj),
        overwrite=selectors.overwrite_warning(request_obj),
        accesses=selectors.access_list(request_obj),
        access_form=access_form or (FootageAccessForm(centre=centre) if may_access else None),
        **context,
    )


@centre_page(AREA)
def footage_detail(request, centre, pk):
    obj = selectors.footage_get(user=request.user, centre=centre, pk=pk)
    return footage_page(request, centre, obj)


@centre_page(AREA, Action.REGISTER_KEEP)
@require_POST
def footage_access(request, centre, pk):
    """One viewing, copy or download against the request (REG-2): refused beside the form
    while the request is not approved or outside its window."""
    obj = selectors.footage_get(user=request.user, centre=centre, pk=pk)
    form = FootageAccessForm(request.POST, centre=centre)
    version = required_version(request)
    done, status = run_service(
        form,
        lambda: services.footage_access_record(
            actor=request.user,
            source=Source.WEB,
            request_id=obj.pk,
            version=version,
            data=request.POST,
        ),
    )
    if done is not None:
        return redirect(FOOTAGE_LIST.url("detail", centre, obj.pk))
    return footage_page(request, centre, obj, access_form=form, status=status)
