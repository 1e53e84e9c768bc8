"""The columns of a return-visit call list, shared by the campaign page's .xlsx export and the
API's (CS-7, RPT-2)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.tables import Column, Table

from .. import phones

CALL_LIST = Table(
    [
        Column(_("customer"), "customer.name", width=14),
        Column(_("phone"), lambda m: phones.shown(m.customer.phone), width=16),
        Column(_("region"), "customer.region", width=12),
        Column(_("member (会员)"), "customer.is_member", width=8),
        Column(_("agent"), "agent.name", width=12),
        Column(_("result"), "result", width=14),
        Column(_("attempts"), "attempts", width=8),
        Column(_("last call"), "last_called_at", width=17),
        Column(_("try again from"), "retry_after", width=17),
        Column(_("note"), "note", width=30),
        Column(_("offer made"), "offer", width=16),
        Column(_("offer approved by"), "offer_approved_by.name", width=12),
        Column(_("offer made at"), "offered_at", width=17),
    ]
)
