"""Template helpers used on every page (loaded as a builtin)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms, template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from zhiban.core import verbs
from zhiban.core.forms import LOCAL_DATE
from zhiban.core.tables import plain
from zhiban.core.timewindow import shown

register = template.Library()
TICK = mark_safe('<i class="ti ti-check text-green" aria-label="✓"></i>')
DASH = mark_safe('<span class="text-secondary">—</span>')


@register.filter
def cell(value):
    """A table value for a page: dates in the centre's zone, ✓ for true, lists joined."""
    if isinstance(value, bool):
        return TICK if value else DASH
    if isinstance(value, datetime):
        return shown(value)
    text = plain(value)
    return text if text != "" else DASH


@register.filter
def widget(field):
    """Render a bound field's widget with the right Bootstrap class and error state; a plain
    date box (a list filter's from / to) gets the browser's date picker and an ISO value."""
    w = field.field.widget
    picker = LOCAL_DATE if type(w) is forms.DateInput and w.input_type == "text" else None
    if isinstance(w, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(w, forms.CheckboxSelectMultiple):
        css = "zb-checks"  # the list and each box (zhiban.css)
    elif isinstance(w, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(widget=picker, attrs={"class": css})


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def icon(name: str, extra: str = ""):
    return format_html('<i class="ti ti-{} {}" aria-hidden="true"></i>', name, extra)


@register.filter
def depth_pad(obj) -> int:
    """Indentation (rem) for a tree row."""
    return max(getattr(obj, "depth", 1) - 1, 0) * 1.25


@register.filter
def verb(value: str) -> str:
    """What an audit event did, in words (core.verbs)."""
    return verbs.verb_label(value)


@register.filter
def actor(event) -> str:
    """Who did it: the person's name, or the system actor in words."""
    return verbs.actor_label(event)


@register.filter
def system_actor(label: str) -> str:
    """A stored author label: a system actor in words (a duty-log entry's "system:demo")."""
    return verbs.system_actor_label(label)


@register.filter
def centre_time(value, centre=None):
    """A time in the given centre's own zone, or without a centre in the default centres'
    zone, not the storage's UTC (pages outside a centre: notifications, the profile; DESIGN
    rule 5)."""
    if value is None:
        return ""
    zone = centre.tz if centre is not None else ZoneInfo(settings.DEFAULT_CENTRE_TIME_ZONE)
    return shown(value, zone)


@register.filter
def source_label(value: str) -> str:
    """web / api / job … in words."""
    from zhiban.core.actors import Source

    try:
        return Source(value).label
    except ValueError:
        return value


@register.filter
def changes(event) -> list:
    """What an audit event changed, in words (core.verbs.readable_changes)."""
    return verbs.readable_changes(event)
