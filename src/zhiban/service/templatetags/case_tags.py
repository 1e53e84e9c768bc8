"""Template helpers of the case pages: a stored number as people read it (CS-1) and the
first-response clock of a case (CS-6)."""

from django import template

from .. import phones
from ..selectors.cases import clock as case_clock

register = template.Library()


@register.filter
def phone(number: str) -> str:
    """138 0000 0051, 0512-6552 0110, 400-820-0365."""
    return phones.shown(number or "")


@register.inclusion_tag("service/_clock.html")
def clock(case) -> dict:
    """The case's first-response clock as a badge (CS-6)."""
    return {"case": case, "clock": case_clock(case)}
