"""Duty's record kinds as the pages and the API see them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import Resource

from . import filters, selectors, services, tables
from .forms import CarriedItemForm, CheckItemForm, CloseForm, ShiftPatternForm
from .models import CarriedState

PATTERNS = Resource(
    key="pattern",
    namespace="duty",
    area="duty",
    label=_("shift pattern"),
    label_plural=_("Shift patterns"),
    icon="clock",
    table=tables.PATTERNS,
    filterset=filters.ShiftPatternFilter,
    form=ShiftPatternForm,
    list=selectors.shift_pattern_list,
    get=selectors.shift_pattern_get,
    manage_action=Action.DUTY_PLAN,
    create=services.shift_pattern_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.shift_pattern_update(
        actor=actor, source=source, pattern_id=obj.pk, version=version, changes=changes
    ),
)

CHECK_ITEMS = Resource(
    key="check",
    namespace="duty",
    area="duty",
    label=_("handover check item"),
    label_plural=_("Handover check items"),
    icon="checklist",
    table=tables.CHECK_ITEMS,
    filterset=filters.CheckItemFilter,
    form=CheckItemForm,
    list=selectors.check_item_list,
    get=selectors.check_item_get,
    manage_action=Action.DUTY_PLAN,
    create=services.check_item_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.check_item_update(
        actor=actor, source=source, item_id=obj.pk, version=version, changes=changes
    ),
)

CARRIED = Resource(
    key="carried",
    namespace="duty",
    area="duty",
    label=_("carried-over item"),
    label_plural=_("Carried-over items"),
    icon="arrow-forward",
    table=tables.CARRIED,
    filterset=filters.CarriedItemFilter,
    form=CarriedItemForm,
    list=selectors.carried_item_list,
    get=selectors.carried_item_get,
    manage_action=Action.DUTY_SERVE,
    create=services.carried_item_open,
    detail_extra=lambda request, centre, item: {
        "extra_template": "duty/_carried_close.html",
        "close_form": CloseForm()
        if item.state == CarriedState.OPEN and can(request.user, Action.DUTY_SERVE, centre)
        else None,
    },
)

HANDOVERS = Resource(
    key="handover",
    namespace="duty",
    area="duty",
    label=_("handover"),
    label_plural=_("Handovers"),
    icon="arrows-exchange",
    table=tables.HANDOVERS,
    filterset=filters.HandoverFilter,
    form=None,
    list=selectors.handover_list,
    get=selectors.handover_get,
    manage_action=Action.DUTY_SERVE,
)
