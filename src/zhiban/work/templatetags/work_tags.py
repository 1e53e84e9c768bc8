"""Template helpers of work tickets: the maintenance tag shown wherever equipment appears
(WORK-3)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import selectors

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
