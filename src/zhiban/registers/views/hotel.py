"""The hotel room centre's pages: a wake-up call with its attempts, the next call and the
floor attendant (REG-7); a do-not-disturb room with its call and outcome (REG-8)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from zhiban.core.web import centre_page

from ..forms.hotel import AttemptForm, AttendantForm, OutcomeForm
from ..models import DndState, WakeUpState
from ..resources.hotel import DND_CHECK_LIST, WAKE_UP_CALL_LIST
from ..selectors import hotel as selectors
from ..services import hotel as services
from .common import AREA, entry_page
from .steps import OPEN_STATES, step_forms, step_urls

CALL = ("attempt", AttemptForm, _("Record the call"), "phone-call")
WAKE_UP_STEPS = {
    WakeUpState.BOOKED: [CALL],
    WakeUpState.SECOND_CALL: [CALL],
    WakeUpState.SEND_ATTENDANT: [
        ("attendant", AttendantForm, _("Record the attendant's visit"), "walk")
    ],
}


def wake_up_page(request, centre, call, *, bound=None, **context):
    return entry_page(
        request,
        centre,
        WAKE_UP_CALL_LIST,
        call,
        extra_template="registers/_wake_up.html",
        attempts=selectors.attempts(call),
        open_states=OPEN_STATES,
        steps=step_forms(centre, WAKE_UP_STEPS.get(call.state, []), bound),
        **context,
    )


@centre_page(AREA)
def wake_up_call_detail(request, centre, pk):
    call = selectors.wake_up_call_get(user=request.user, centre=centre, pk=pk)
    return wake_up_page(request, centre, call)


DND_STEPS = {
    DndState.TO_CALL: [("call", AttemptForm, _("Record the call"), "phone-call")],
    DndState.ESCALATED: [("outcome", OutcomeForm, _("Record the outcome"), "check")],
}


def dnd_page(request, centre, check, *, bound=None, **context):
    return entry_page(
        request,
        centre,
        DND_CHECK_LIST,
        check,
        extra_template="registers/_dnd.html",
        open_states=OPEN_STATES,
        steps=step_forms(centre, DND_STEPS.get(check.state, []), bound),
        **context,
    )


@centre_page(AREA)
def dnd_check_detail(request, centre, pk):
    check = selectors.dnd_check_get(user=request.user, centre=centre, pk=pk)
    return dnd_page(request, centre, check)


def urls(C: str) -> list:
    return [
        path(f"{C}/wake-up-calls/<int:pk>/", wake_up_call_detail, name="wake_up_call_detail"),
        *step_urls(
            "registers/wake-up-calls",
            WAKE_UP_CALL_LIST,
            wake_up_page,
            "call_id",
            [
                ("attempt", AttemptForm, services.wake_up_attempt),
                ("attendant", AttendantForm, services.wake_up_attendant),
            ],
        ),
        path(f"{C}/dnd-checks/<int:pk>/", dnd_check_detail, name="dnd_check_detail"),
        *step_urls(
            "registers/dnd-checks",
            DND_CHECK_LIST,
            dnd_page,
            "check_id",
            [
                ("call", AttemptForm, services.dnd_check_call),
                ("outcome", OutcomeForm, services.dnd_check_outcome),
            ],
        ),
    ]
