"""Footage access (调阅录像, REG-2): the request, the department leader's decision, and every
viewing, copy or download recorded against the approved request inside its access window.
An access to a request not approved, or outside its window, is refused naming REG-2 and
writes nothing. There is no delete: requests and accesses stay for good."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import locked, validated
from zhiban.core.timewindow import shown

from ..forms.footage import FootageAccessForm, FootageRequestForm
from ..models import ApprovalState, FootageAccess, FootageRequest
from .common import PANEL, decide, entry_create, person

RULE = "REG-2"


@transaction.atomic
def footage_request_create(*, actor, source, centre, data) -> FootageRequest:
    """A request to access recorded video: who asks, why, where, which camera, the span and
    the access window; it waits for the department leader."""
    return entry_create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=FootageRequestForm,
        verb="footage_request.create",
    )


def footage_request_decide(
    *, actor, source, pk, version: int, approve: bool, data
) -> FootageRequest:
    """The department leader's approval or refusal (with its reason). An approval after the
    access window has ended is refused: nothing could be accessed under it."""
    return decide(
        actor=actor,
        source=source,
        model=FootageRequest,
        pk=pk,
        version=version,
        approve=approve,
        data=data,
        verb="footage_request",
        check=_window_open,
    )


def _window_open(request: FootageRequest, approve: bool) -> None:
    if approve and request.window_until <= timezone.now():
        raise Refused(
            _("The access window of this request has ended; file a new request (%(rule)s).")
            % {"rule": RULE},
            code="window_ended",
            rule=RULE,
        )


@transaction.atomic
def footage_access_record(*, actor, source, request_id, version: int, data) -> FootageAccess:
    """One viewing, copy or download, by the actor, at the time given (now when empty),
    against the request in the version the person read: approved, and the time inside its
    access window — else refused naming REG-2."""
    request = locked(FootageRequest.objects.select_related("centre"), request_id, version)
    centre = request.centre
    require(actor, Action.REGISTER_KEEP, centre)
    form = validated(FootageAccessForm, data, centre=centre)
    at = form.cleaned_data["at"] or timezone.now()
    if request.state != ApprovalState.APPROVED:
        raise Refused(
            _(
                "Footage may be viewed, copied or downloaded only under a request the department "
                "leader approved; this one is “%(state)s” (%(rule)s)."
            )
            % {"state": request.get_state_display(), "rule": RULE},
            code="not_approved",
            rule=RULE,
        )
    if request.decided_at and at < request.decided_at:
        raise Refused(
            _(
                "%(at)s is before the approval (%(approved)s): footage is accessed only after it (%(rule)s)."
            )
            % {
                "at": shown(at, centre.tz),
                "approved": shown(request.decided_at, centre.tz),
                "rule": RULE,
            },
            code="before_approval",
            rule=RULE,
        )
    if not request.window_from <= at <= request.window_until:
        raise Refused(
            _("%(at)s is outside the request's access window %(start)s – %(end)s (%(rule)s).")
            % {
                "at": shown(at, centre.tz),
                "start": shown(request.window_from, centre.tz),
                "end": shown(request.window_until, centre.tz),
                "rule": RULE,
            },
            code="outside_window",
            rule=RULE,
        )
    access = FootageAccess.objects.create(
        request=request,
        kind=form.cleaned_data["kind"],
        at=at,
        by=person(actor),
        note=form.cleaned_data["note"],
    )
    audit.record(
        actor=actor,
        source=source,
        verb=f"footage_access.{access.kind}",
        obj=request,
        after={
            "access": access.pk,
            "access_kind": access.kind,
            "access_at": access.at.isoformat(),
            "access_by": access.by_id,
            "access_note": access.note,
        },
        centre=centre,
    )
    live.refresh_on_commit(centre, PANEL)
    return access
