"""The registry of registers: each register module declares its ``Register`` (its Resource,
its rule, the centre kinds that keep it, what waits on it) and the registers' home page lists
those of the centre's kind. A new register adds its module and one ``REGISTERS`` entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import SearchFilterSet
from zhiban.core.tables import Column
from zhiban.core.web import Resource


@dataclass(frozen=True)
class Register:
    resource: Resource
    rule: str
    kinds: frozenset[str]  # the centre kinds that keep it (core.nav)
    help: Any  # one line on the home page
    waiting: Callable | None = None  # (centre) -> queryset of entries awaiting approval


def approval_columns() -> list[Column]:
    """The decision's columns every approved register shows and exports."""
    return [
        Column(_("state"), "state", width=14),
        Column(_("approved or refused by"), "decided_by", width=12),
        Column(_("decided"), "decided_at", width=16),
        Column(_("decision note"), "decision_note", width=24),
        Column(_("recorded by"), "recorded_by", width=12),
    ]


class ApprovalFilter(SearchFilterSet):
    """The state and the day the entry was written, on every approved register."""

    since = df.DateFilter(label=_("from"), field_name="created_at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="created_at", lookup_expr="date__lte")
