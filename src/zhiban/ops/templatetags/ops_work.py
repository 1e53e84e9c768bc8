"""Template helpers of the interlock: the warning of an operation ticket touching tagged
equipment and what holds its equipment now (WORK-3)."""

from __future__ import annotations

from django import template

from .. import interlock, selectors

register = template.Library()


@register.simple_tag
def ticket_warnings(ticket) -> list[dict]:
    """WORK-3: the warnings of an operation ticket touching tagged equipment."""
    return selectors.ticket_warnings(ticket)


@register.simple_tag
def interlock_holds(ticket) -> list:
    """WORK-3: the work tickets and tags that hold the ticket's equipment now."""
    return interlock.holds(ticket)
