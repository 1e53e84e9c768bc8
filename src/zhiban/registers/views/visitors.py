"""Visitor pages (REG-1): a visitor's page with arrival and leaving; the leader's decision
(``common``)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.web import centre_page, required_version, run_service

from ..models import VisitorState
from ..resources.visitors import VISITOR_LIST
from ..selectors import visitors as selectors
from ..services import visitors as services
from .common import AREA, entry_page, moment_form


def visitor_page(request, centre, visitor, *, moment=None, **context):
    step = {VisitorState.APPROVED: "arrive", VisitorState.IN_ROOM: "leave"}.get(visitor.state)
    return entry_page(
        request,
        centre,
        VISITOR_LIST,
        visitor,
        extra_template="registers/_visitor.html",
        step=step,
        moment_form=moment or (moment_form(centre) if step else None),
        **context,
    )


@centre_page(AREA)
def visitor_detail(request, centre, pk):
    visitor = selectors.visitor_get(user=request.user, centre=centre, pk=pk)
    return visitor_page(request, centre, visitor)


def _step(request, centre, pk, service):
    visitor = selectors.visitor_get(user=request.user, centre=centre, pk=pk)
    form = moment_form(centre, request.POST)
    version = required_version(request)
    done, status = run_service(
        form,
        lambda: service(
            actor=request.user,
            source=Source.WEB,
            visitor_id=visitor.pk,
            version=version,
            data=request.POST,
        ),
    )
    if done is not None:
        return redirect(VISITOR_LIST.url("detail", centre, visitor.pk))
    return visitor_page(request, centre, visitor, moment=form, status=status)


@centre_page(AREA, Action.REGISTER_KEEP)
@require_POST
def visitor_arrive(request, centre, pk):
    """The visitor enters the room: refused naming REG-1 before the approval."""
    return _step(request, centre, pk, services.visitor_arrive)


@centre_page(AREA, Action.REGISTER_KEEP)
@require_POST
def visitor_leave(request, centre, pk):
    """The visitor leaves: refused naming REG-1 before arriving."""
    return _step(request, centre, pk, services.visitor_leave)
