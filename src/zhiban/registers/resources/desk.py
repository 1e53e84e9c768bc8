"""The desk registers' lists (REG-3 … REG-6): filters, columns, Resources and their entries
on the registers' home page; kept by a security room and a hotel room centre alike."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import SearchFilterSet
from zhiban.core.nav import HOUSEKEEPING, SECURITY
from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from ..forms.desk import FoundItemForm, LoanForm, PhoneMessageForm, RepairForm
from ..models import FollowState, FoundItem, FoundState, Loan, LoanState, PhoneMessage, Repair
from ..selectors import desk as selectors
from ..services import desk as services
from .common import Register

DESKS = frozenset({SECURITY, HOUSEKEEPING})


def _filter(model, search: tuple, states, day: str):
    """The FilterSet of a desk register: free text, state, and the day of ``day``."""

    class Meta:
        fields = ["q", "state", "since", "until"]

    Meta.model = model  # type: ignore[attr-defined]
    attrs = {
        "search_fields": search,
        "state": df.ChoiceFilter(label=_("state"), choices=states, empty_label=_("All")),
        "since": df.DateFilter(label=_("from"), field_name=day, lookup_expr="date__gte"),
        "until": df.DateFilter(label=_("to"), field_name=day, lookup_expr="date__lte"),
        "Meta": Meta,
    }
    return type(f"{model.__name__}Filter", (SearchFilterSet,), attrs)


LOAN_LIST = Resource(
    key="loan",
    namespace="registers",
    area="registers",
    label=_("item lent (借物)"),
    label_plural=_("Item lending (借物登记)"),
    icon="hand-finger",
    table=Table(
        [
            Column(_("item (物品)"), "item", link=True, width=16),
            Column(_("borrower (借用人)"), "borrower", width=12),
            Column(_("room or place (房号/地点)"), "place", width=12),
            Column(_("lent at (借出时间)"), "lent_at", width=16),
            Column(_("due back (应还时间)"), "due_at", width=16),
            Column(_("state"), "state", width=10),
            Column(_("returned at (归还时间)"), "returned_at", width=16),
            Column(_("recorded by"), "recorded_by", width=10),
        ]
    ),
    filterset=_filter(Loan, ("item", "borrower", "place"), LoanState.choices, "lent_at"),
    form=LoanForm,
    list=selectors.loan_list,
    get=selectors.loan_get,
    manage_action=Action.REGISTER_KEEP,
    create=services.loan_create,
)

FOUND_ITEM_LIST = Resource(
    key="found_item",
    namespace="registers",
    area="registers",
    label=_("found item (遗留物品)"),
    label_plural=_("Lost and found (遗留物品)"),
    icon="briefcase",
    table=Table(
        [
            Column(_("item (物品)"), "item", link=True, width=20),
            Column(_("found where (拾获地点)"), "found_where", width=14),
            Column(_("found at (拾获时间)"), "found_at", width=16),
            Column(_("found by (拾获人)"), "found_by", width=10),
            Column(_("kept where (存放位置)"), "kept_where", width=14),
            Column(_("state"), "state", width=10),
            Column(_("handed back to (领取人)"), "claimant", width=10),
            Column(_("proof (凭证)"), "proof_kind", width=10),
            Column(_("proof number or description (凭证号码/说明)"), "proof_number", width=18),
            Column(_("handed back at (领回时间)"), "handed_back_at", width=16),
            Column(_("recorded by"), "recorded_by", width=10),
        ]
    ),
    filterset=_filter(
        FoundItem, ("item", "found_where", "found_by", "claimant"), FoundState.choices, "found_at"
    ),
    form=FoundItemForm,
    list=selectors.found_item_list,
    get=selectors.found_item_get,
    manage_action=Action.REGISTER_KEEP,
    create=services.found_item_create,
)

PHONE_MESSAGE_LIST = Resource(
    key="phone_message",
    namespace="registers",
    area="registers",
    label=_("phone message (电话记录)"),
    label_plural=_("Phone messages (电话记录)"),
    icon="phone",
    table=Table(
        [
            Column(_("caller (来电人)"), "caller", link=True, width=10),
            Column(_("calling from (来电单位/地点)"), "place", width=14),
            Column(_("time of call (来电时间)"), "at", width=16),
            Column(_("caller's phone (来电号码)"), "phone", width=14),
            Column(_("message (内容)"), "content", width=30),
            Column(_("read back to the caller (复述)"), "read_back", width=24),
            Column(_("passed to (转告)"), "routed_to", width=10),
            Column(_("state"), "state", width=10),
            Column(_("result (处理结果)"), "result", width=24),
            Column(_("done at"), "done_at", width=16),
            Column(_("recorded by"), "recorded_by", width=10),
        ]
    ),
    filterset=_filter(
        PhoneMessage, ("caller", "place", "phone", "content"), FollowState.choices, "at"
    ),
    form=PhoneMessageForm,
    list=selectors.phone_message_list,
    get=selectors.phone_message_get,
    manage_action=Action.REGISTER_KEEP,
    create=services.phone_message_create,
)

REPAIR_LIST = Resource(
    key="repair",
    namespace="registers",
    area="registers",
    label=_("equipment repair (设备维修)"),
    label_plural=_("Equipment faults and repairs (设备维修记录)"),
    icon="tool",
    table=Table(
        [
            Column(_("equipment or place (设备/部位)"), "equipment", link=True, width=16),
            Column(_("fault (故障现象)"), "fault", width=24),
            Column(_("reported at (报修时间)"), "reported_at", width=16),
            Column(_("reported by (报修人)"), "reported_by", width=10),
            Column(_("repaired by (维修人/单位)"), "repairer", width=14),
            Column(_("state"), "state", width=10),
            Column(_("result (维修结果)"), "result", width=24),
            Column(_("closed at (完成时间)"), "done_at", width=16),
            Column(_("recorded by"), "recorded_by", width=10),
        ]
    ),
    filterset=_filter(
        Repair,
        ("equipment", "fault", "reported_by", "repairer"),
        FollowState.choices,
        "reported_at",
    ),
    form=RepairForm,
    list=selectors.repair_list,
    get=selectors.repair_get,
    manage_action=Action.REGISTER_KEEP,
    create=services.repair_create,
)

LENDING = Register(
    LOAN_LIST, "REG-4", DESKS, _("What was lent, to whom, due back when; overdue items chased.")
)
FOUND = Register(
    FOUND_ITEM_LIST,
    "REG-5",
    DESKS,
    _("Found where, when and by whom, kept where; handed back against a proof."),
)
PHONE = Register(
    PHONE_MESSAGE_LIST,
    "REG-3",
    DESKS,
    _("Who called, what was read back, who must act, followed until done."),
)
REPAIRS = Register(REPAIR_LIST, "REG-6", DESKS, _("Faults reported, who repairs, the result."))
