"""The footage-access list (REG-2): filters, columns (with the footage's retention end) and
its Resource; the register's entry on the home page."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.nav import SECURITY
from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from ..forms.footage import FootageRequestForm
from ..models import ApprovalState, FootageRequest
from ..selectors import footage as selectors
from ..services.footage import footage_request_create
from .common import ApprovalFilter, Register, approval_columns


class FootageFilter(ApprovalFilter):
    search_fields = ("requester_name", "requester_unit", "reason", "camera__name")
    state = df.ChoiceFilter(label=_("state"), choices=ApprovalState.choices, empty_label=_("All"))

    class Meta:
        model = FootageRequest
        fields = ["q", "state", "since", "until"]


FOOTAGE = Table(
    [
        Column(_("requested by (申请人)"), "requester_name", link=True, width=12),
        Column(_("unit (单位)"), "requester_unit", width=16),
        Column(_("reason (调阅事由)"), "reason", width=24),
        Column(_("place (地点)"), "site", width=14),
        Column(_("camera (摄像机)"), "camera", width=14),
        Column(_("footage from"), "span_from", width=16),
        Column(_("footage until"), "span_until", width=16),
        Column(_("access allowed from"), "window_from", width=16),
        Column(_("access allowed until"), "window_until", width=16),
        Column(_("overwritten at"), selectors.retention_end, width=16),
        *approval_columns(),
        Column(_("requested"), "created_at", width=16),
    ]
)

FOOTAGE_LIST = Resource(
    key="footage",
    namespace="registers",
    area="registers",
    label=_("footage access request (调阅录像申请)"),
    label_plural=_("Footage access (调阅录像)"),
    icon="video",
    table=FOOTAGE,
    filterset=FootageFilter,
    form=FootageRequestForm,
    list=selectors.footage_list,
    get=selectors.footage_get,
    manage_action=Action.REGISTER_KEEP,
    create=footage_request_create,
    open_paging=True,  # a provincial centre files a hundred thousand a year (bench/footage_scale.py)
)

REGISTER = Register(
    FOOTAGE_LIST,
    "REG-2",
    frozenset({SECURITY}),
    _("Every viewing, copy or download needs a request the department leader approved."),
    waiting=selectors.pending,
)
