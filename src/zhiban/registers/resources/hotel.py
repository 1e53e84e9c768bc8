"""The hotel room centre's lists: wake-up calls (REG-7) and the do-not-disturb check
(REG-8): filters, columns, Resources and their entries on the registers' home page."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import SearchFilterSet
from zhiban.core.nav import HOUSEKEEPING
from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from ..forms.hotel import DndCheckForm, WakeUpCallForm
from ..models import DndCheck, DndState, WakeUpCall, WakeUpState
from ..selectors import hotel as selectors
from ..services.hotel import dnd_check_create, wake_up_call_create
from .common import Register

HOTEL = frozenset({HOUSEKEEPING})


class WakeUpCallFilter(SearchFilterSet):
    search_fields = ("room", "guest_name", "requested_by", "attendant")
    state = df.ChoiceFilter(label=_("state"), choices=WakeUpState.choices, empty_label=_("All"))
    since = df.DateFilter(label=_("from"), field_name="wake_at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="wake_at", lookup_expr="date__lte")

    class Meta:
        model = WakeUpCall
        fields = ["q", "state", "since", "until"]


WAKE_UP_CALLS = Table(
    [
        Column(_("room (房号)"), "room", link=True, width=8),
        Column(_("wake-up time (叫醒时间)"), "wake_at", width=16),
        Column(_("guest (客人姓名)"), "guest_name", width=10),
        Column(_("state"), "state", width=14),
        Column(_("next call due"), "due_at", width=16),
        Column(_("requested by (预约人)"), "requested_by", width=12),
        Column(_("requested (预约时间)"), "requested_at", width=16),
        Column(_("floor attendant sent (派往服务员)"), "attendant", width=10),
        Column(_("attendant sent"), "attendant_sent_at", width=16),
        Column(_("what the attendant found (上门情况)"), "attendant_found", width=24),
        Column(_("recorded by"), "recorded_by", width=10),
    ]
)

WAKE_UP_CALL_LIST = Resource(
    key="wake_up_call",
    namespace="registers",
    area="registers",
    label=_("wake-up call (叫醒服务)"),
    label_plural=_("Wake-up calls (叫醒服务)"),
    icon="alarm",
    table=WAKE_UP_CALLS,
    filterset=WakeUpCallFilter,
    form=WakeUpCallForm,
    list=selectors.wake_up_call_list,
    get=selectors.wake_up_call_get,
    manage_action=Action.REGISTER_KEEP,
    create=wake_up_call_create,
)

WAKE_UP = Register(
    WAKE_UP_CALL_LIST,
    "REG-7",
    HOTEL,
    _("Each call's result; a missed call is called again, then a floor attendant is sent."),
)


class DndCheckFilter(SearchFilterSet):
    search_fields = ("room", "outcome")
    state = df.ChoiceFilter(label=_("state"), choices=DndState.choices, empty_label=_("All"))
    since = df.DateFilter(label=_("from"), field_name="day", lookup_expr="gte")
    until = df.DateFilter(label=_("to"), field_name="day", lookup_expr="lte")

    class Meta:
        model = DndCheck
        fields = ["q", "state", "since", "until"]


DND_CHECKS = Table(
    [
        Column(_("room (房号)"), "room", link=True, width=8),
        Column(_("day"), "day", width=12),
        Column(_("seen showing DND at (发现时间)"), "listed_at", width=16),
        Column(_("state"), "state", width=16),
        Column(_("phoned at (致电时间)"), "called_at", width=16),
        Column(_("call result"), "call_result", width=10),
        Column(_("managers told at"), "notified_at", width=16),
        Column(_("outcome (处理结果)"), "outcome", width=24),
        Column(_("recorded by"), "recorded_by", width=10),
    ]
)

DND_CHECK_LIST = Resource(
    key="dnd_check",
    namespace="registers",
    area="registers",
    label=_("do-not-disturb check (请勿打扰跟进)"),
    label_plural=_("Do-not-disturb checks (请勿打扰跟进)"),
    icon="moon",
    table=DND_CHECKS,
    filterset=DndCheckFilter,
    form=DndCheckForm,
    list=selectors.dnd_check_list,
    get=selectors.dnd_check_get,
    manage_action=Action.REGISTER_KEEP,
    create=dnd_check_create,
)

DND = Register(
    DND_CHECK_LIST,
    "REG-8",
    HOTEL,
    _(
        "Rooms still showing do-not-disturb in the afternoon are phoned; no answer tells the managers."
    ),
)
