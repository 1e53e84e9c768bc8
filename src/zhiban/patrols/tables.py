"""What the lists, detail pages and .xlsx exports of checkpoints, patrol plans and rounds
show (PAT-1, PAT-2)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.tables import Column, Table


def _how_often(plan) -> str:
    """PAT-1: the plan's frequency in words."""
    if plan.kind == "per_shift":
        return str(_("%(n)s times per shift") % {"n": plan.times})
    if plan.kind == "interval":
        return str(_("every %(n)s minutes") % {"n": plan.interval_minutes})
    if plan.kind == "sampled":
        return str(_("at least %(n)s checkpoints per shift") % {"n": plan.times})
    return f"{plan.window_starts:%H:%M}–{plan.window_ends:%H:%M}"


def _walked_by(plan) -> str:
    return " · ".join(str(v) for v in (plan.get_role_display(), plan.team) if v)


CHECKPOINTS = Table(
    [
        Column(_("name"), "name", link=True, width=24),
        Column(_("site"), "site", width=20),
        Column(_("kind"), "kind", width=10),
        Column(_("equipment"), "equipment", width=20),
        Column(_("check items"), lambda c: "；".join(i.line for i in c.items.all()), width=40),
        Column(_("short code"), "short_code", width=12),
        Column(_("active"), "active", width=8),
    ]
)

PLANS = Table(
    [
        Column(_("name"), "name", link=True, width=24),
        Column(_("what is checked"), "what", width=36),
        Column(_("how often"), _how_often, width=24),
        Column(_("walked by"), _walked_by, width=20),
        Column(_("checkpoints"), "checkpoint_count", width=10),
        Column(_("active"), "active", width=8),
    ]
)

ROUNDS = Table(
    [
        Column(_("plan"), "plan", link=True, width=24),
        Column(_("window starts"), "window_start", width=16),
        Column(_("window ends"), "window_end", width=16),
        Column(_("shift"), "shift", width=8),
        Column(_("state"), "state", width=10),
        Column(_("walked by"), "walker", width=10),
        Column(_("checked"), lambda r: f"{r.checked_count}/{r.check_count}", width=8),
        Column(_("abnormal"), "abnormal_count", width=8),
    ]
)
