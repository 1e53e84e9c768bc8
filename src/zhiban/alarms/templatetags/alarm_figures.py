"""How the alarm-management figures read on the page: shares as percentages, waits as
h:mm:ss, a missing figure as a dash."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(share) -> str:
    if share is None:
        return "—"
    value = share * 100
    return f"{value:.1f}%" if value >= 10 or value == 0 else f"{value:.2f}%"


@register.filter
def bar(share) -> str:
    """A CSS width for a share, at least a sliver when there is any."""
    if not share:
        return "0%"
    return f"{max(share * 100, 1):.1f}%"


@register.filter
def wait(seconds) -> str:
    if seconds is None:
        return "—"
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


@register.filter
def number(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"
