"""Template helpers of the case pages: a stored number as people read it (CS-1) and the
first-response clock of a case (CS-6)."""

from django import template

from ..selectors.cases import clock as case_clock
from .service_tags import phone

register = template.Library()
register.filter(phone)  # the case pages' numbers, as service_tags shows them


@register.inclusion_tag("service/_clock.html")
def clock(case) -> dict:
    """The case's first-response clock as a badge (CS-6)."""
    return {"case": case, "clock": case_clock(case)}
