"""Template helpers of work tickets: the maintenance tag shown wherever equipment appears and
the warning of an operation ticket touching tagged equipment (WORK-3)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import interlock, selectors

register = template.Library()


@register.simple_tag
def tag_badge(equipment, tags=None):
    """A red “检修” badge when ``equipment`` carries a maintenance tag (WORK-3). ``tags`` is
    the ``selectors.tags_on`` map when the page has it already (one query for many)."""
    found = (tags if tags is not None else selectors.tags_on([equipment])).get(equipment.pk)
    if found is None:
        return ""
    return format_html(
        '<span class="badge bg-red text-red-fg ms-1" data-testid="tag-badge" title="{}">{}</span>',
        _("Maintenance tag of work ticket %(number)s") % {"number": found.work_ticket.number},
        _("under maintenance (检修)"),
    )


@register.simple_tag
def ticket_warnings(ticket) -> list[dict]:
    """WORK-3: the warnings of an operation ticket touching tagged equipment."""
    return selectors.ticket_warnings(ticket)


@register.simple_tag
def interlock_holds(ticket) -> list:
    """WORK-3: the work tickets and tags that hold the ticket's equipment now."""
    return interlock.holds(ticket)
