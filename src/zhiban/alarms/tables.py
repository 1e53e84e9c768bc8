"""What the incident list, detail page and .xlsx export show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.tables import Column, Table

INCIDENTS = Table(
    [
        Column(_("incident"), "title", link=True, width=40),
        Column(_("state"), "state", width=12),
        Column(_("site"), "site", width=14),
        Column(_("opened"), "opened_at", width=16),
        Column(_("opened by"), "opened_by", width=10),
        Column(_("closed"), "closed_at", width=16),
        Column(_("how it ended"), "closing_note", width=30),
    ]
)
