"""What the organisation lists, detail pages and .xlsx exports show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.tables import Column, Table

from . import marks


def _roles_here(person) -> str:
    return "、".join(
        f"{m.get_role_display()}" + (f"（{m.team}）" if m.team_id else "")
        for m in getattr(person, "centre_memberships", [])
        if m.active
    )


TEAMS = Table(
    [
        Column(_("name"), "name", link=True, width=24),
        Column(_("kind"), "kind", width=20),
        Column(_("duty phone"), "phone"),
        Column(_("sites served"), "sites", width=40),
        Column(_("members"), "member_count", width=10),
        Column(_("active"), "active", width=8),
    ]
)

SITES = Table(
    [
        Column(_("code"), "code", width=14),
        Column(_("name"), "name", link=True, indent=True, width=28),
        Column(_("kind"), "kind", width=20),
        Column(_("voltage level"), "voltage_level", width=12),
        Column(_("parent site"), "parent", width=24),
        Column(_("address"), "address", width=30),
        Column(_("active"), "active", width=8),
    ]
)

EQUIPMENT = Table(
    [
        Column(_("double name"), "double_name", link=True, indent=True, width=30),
        Column(_("marks"), marks.labels, width=10),
        Column(_("kind"), "kind", width=22),
        Column(_("site"), "site", width=22),
        Column(_("voltage level"), "voltage_level", width=12),
        Column(_("model"), "model_number", width=16),
        Column(_("parent equipment"), "parent", width=26),
        Column(_("active"), "active", width=8),
    ]
)

PEOPLE = Table(
    [
        Column(_("name"), "name", link=True, width=14),
        Column(_("login"), "username", width=14),
        Column(_("employee number"), "employee_no", width=14),
        Column(_("phone"), "phone", width=16),
        Column(_("roles here"), _roles_here, width=40),
        Column(_("may log in"), "is_active", width=10),
    ]
)

MEMBERSHIPS = Table(
    [
        Column(_("person"), "person", link=True, width=14),
        Column(_("role"), "role", width=24),
        Column(_("team"), "team", width=20),
        Column(_("post"), "post", width=12),
        Column(_("active"), "active", width=8),
    ]
)

CENTRES = Table(
    [
        Column(_("code"), "code", width=12),
        Column(_("name"), "name", link=True, width=24),
        Column(_("kind"), "kind", width=28),
        Column(_("time zone"), "time_zone", width=18),
        Column(_("duty phone"), "phone", width=16),
        Column(_("active"), "active", width=8),
    ]
)
