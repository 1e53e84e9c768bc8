"""The visitor list (REG-1): filters, columns and its Resource; the register's entry on the
home page."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.nav import SECURITY
from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from ..forms.visitors import VisitorForm
from ..models import Visitor, VisitorState
from ..selectors import visitors as selectors
from ..services.visitors import visitor_create
from .common import ApprovalFilter, Register, approval_columns


class VisitorFilter(ApprovalFilter):
    search_fields = ("name", "organisation", "reason", "escort")
    state = df.ChoiceFilter(label=_("state"), choices=VisitorState.choices, empty_label=_("All"))

    class Meta:
        model = Visitor
        fields = ["q", "state", "since", "until"]


VISITORS = Table(
    [
        Column(_("visitor (来访人)"), "name", link=True, width=12),
        Column(_("organisation (单位)"), "organisation", width=16),
        Column(_("reason (来访事由)"), "reason", width=24),
        Column(_("escort (陪同人)"), "escort", width=12),
        Column(_("arrived"), "arrived_at", width=16),
        Column(_("left"), "left_at", width=16),
        *approval_columns(),
        Column(_("recorded"), "created_at", width=16),
    ]
)

VISITOR_LIST = Resource(
    key="visitor",
    namespace="registers",
    area="registers",
    label=_("visitor (访客)"),
    label_plural=_("Visitors (访客登记)"),
    icon="id-badge",
    table=VISITORS,
    filterset=VisitorFilter,
    form=VisitorForm,
    list=selectors.visitor_list,
    get=selectors.visitor_get,
    manage_action=Action.REGISTER_KEEP,
    create=visitor_create,
)

REGISTER = Register(
    VISITOR_LIST,
    "REG-1",
    frozenset({SECURITY}),
    _("Entry to the monitoring room only after a named department leader approved."),
    waiting=selectors.pending,
)
