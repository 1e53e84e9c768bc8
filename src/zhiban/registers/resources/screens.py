"""The big-screen and remote-operation list (REG-9): filters, columns and its Resource; the
register's entry on the home page."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.nav import SECURITY
from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from ..forms.screens import ScreenUseForm
from ..models import ApprovalState, ScreenUse, ScreenUseKind
from ..selectors import screens as selectors
from ..services.screens import screen_use_create
from .common import ApprovalFilter, Register, approval_columns


class ScreenUseFilter(ApprovalFilter):
    search_fields = ("used_by", "purpose")
    kind = df.ChoiceFilter(label=_("use"), choices=ScreenUseKind.choices, empty_label=_("All"))
    state = df.ChoiceFilter(label=_("state"), choices=ApprovalState.choices, empty_label=_("All"))

    class Meta:
        model = ScreenUse
        fields = ["q", "kind", "state", "since", "until"]


SCREEN_USES = Table(
    [
        Column(_("use"), "kind", link=True, width=20),
        Column(_("used by (使用人)"), "used_by", width=12),
        Column(_("why (用途)"), "purpose", width=24),
        Column(_("from"), "starts_at", width=16),
        Column(_("until"), "ends_at", width=16),
        *approval_columns(),
    ]
)

SCREEN_USE_LIST = Resource(
    key="screen_use",
    namespace="registers",
    area="registers",
    label=_("big-screen or remote-operation use (大屏及远程操作)"),
    label_plural=_("Big screen and remote operation (大屏及远程操作)"),
    icon="device-desktop",
    table=SCREEN_USES,
    filterset=ScreenUseFilter,
    form=ScreenUseForm,
    list=selectors.screen_use_list,
    get=selectors.screen_use_get,
    manage_action=Action.REGISTER_KEEP,
    create=screen_use_create,
)

REGISTER = Register(
    SCREEN_USE_LIST,
    "REG-9",
    frozenset({SECURITY}),
    _("Who used the big screen or operated field equipment remotely, when, why, approved by."),
    waiting=selectors.pending,
)
