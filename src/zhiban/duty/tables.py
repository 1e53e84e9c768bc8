"""What the duty lists, detail pages and .xlsx exports show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.tables import Column, Table

PATTERNS = Table(
    [
        Column(_("name"), "name", link=True, width=12),
        Column(_("starts"), lambda p: p.starts.strftime("%H:%M"), width=8),
        Column(_("ends"), lambda p: p.ends.strftime("%H:%M"), width=8),
        Column(_("hours"), lambda p: round(p.minutes / 60, 2), width=8),
        Column(_("active"), "active", width=8),
    ]
)

CHECK_ITEMS = Table(
    [
        Column(_("name"), "name", link=True, width=30),
        Column(_("order"), "order", width=8),
        Column(_("active"), "active", width=8),
    ]
)

CARRIED = Table(
    [
        Column(_("what is open"), "text", link=True, width=50),
        Column(_("to be continued by"), "continued_by", width=16),
        Column(_("site"), "site", width=16),
        Column(_("opened by"), "opened_by", width=10),
        Column(_("created"), "created_at", width=16),
        Column(_("state"), "state", width=8),
        Column(_("how it was closed"), "resolution", width=30),
    ]
)

HANDOVERS = Table(
    [
        Column(_("outgoing shift"), "outgoing_shift", link=True, width=16),
        Column(_("incoming shift"), "incoming_shift", width=16),
        Column(_("state"), "state", width=14),
        Column(_("outgoing signature"), "outgoing_signed_by", width=10),
        Column(_("outgoing signed"), "outgoing_signed_at", width=16),
        Column(_("incoming signature"), "incoming_signed_by", width=10),
        Column(_("incoming signed"), "incoming_signed_at", width=16),
    ]
)

LOG = Table(
    [
        Column(_("time"), "at", width=16),
        Column(_("category"), "category", width=16),
        Column(_("entry"), "shown_text", width=60),
        Column(_("site"), "site", width=14),
        Column(_("equipment"), "equipment", width=18),
        Column(_("author"), "author_label", width=10),
        Column(_("corrects"), lambda e: f"#{e.corrects_id}" if e.corrects_id else "", width=8),
        Column("#", "pk", width=8),
    ]
)

ROSTER = Table(
    [
        Column(_("date"), "shift.day", width=12),
        Column(_("shift"), "shift.pattern.name", width=8),
        Column(_("starts"), "shift.starts_at", width=16),
        Column(_("ends"), "shift.ends_at", width=16),
        Column(_("post"), "post", width=10),
        Column(_("person"), "person", width=10),
        Column(_("signed in"), "signed_in_at", width=16),
        Column(_("late"), "late", width=6),
        Column(_("signed out"), "signed_out_at", width=16),
    ]
)
