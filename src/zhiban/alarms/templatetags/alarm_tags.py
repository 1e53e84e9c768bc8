"""How alarms look on the console: class badges in the priority colours, named in the
centre kind's words (INC-11, ``alarms.words``), and short state badges (INC-2)."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhiban.core.timewindow import safe_localtime

from ..models import AlarmClass, AlarmState
from ..selectors import UNACKED_STATES
from ..words import words_for

register = template.Library()

CLASS_COLOURS = {
    AlarmClass.ACCIDENT: "bg-red",
    AlarmClass.ABNORMAL: "bg-orange",
    AlarmClass.LIMIT: "bg-yellow",
    AlarmClass.CHANGE: "bg-azure",
    AlarmClass.INFO: "bg-secondary text-white",
}
STATE_BADGES = {
    AlarmState.UNACKED: ("bg-red-lt", _("Unacknowledged")),
    AlarmState.ACKED: ("bg-blue-lt", _("Acknowledged")),
    AlarmState.CLEARED_UNACKED: ("bg-orange-lt", _("Cleared, unacknowledged")),
    AlarmState.CLEARED: ("bg-green-lt", _("Cleared")),
    AlarmState.SHELVED: ("bg-purple-lt", _("Shelved")),
    AlarmState.SUPPRESSED: ("bg-secondary-lt", _("Suppressed")),
}


@register.simple_tag(takes_context=True)
def class_badge(context, klass: str):
    return format_html(
        '<span class="badge {} zb-class" data-klass="{}">{}</span>',
        CLASS_COLOURS.get(klass, "bg-secondary-lt"),
        klass,
        class_label(context, klass),
    )


@register.simple_tag(takes_context=True)
def class_label(context, klass: str) -> str:
    """The class's name in the words of the page's centre."""
    return words_for(context.get("centre")).label(klass)


@register.simple_tag(takes_context=True)
def alarm_words(context):
    """``{% alarm_words as words %}``: the page's centre's words for its alarms."""
    return words_for(context.get("centre"))


@register.simple_tag
def state_badge(state: str):
    css, label = STATE_BADGES[state]
    return format_html(
        '<span class="badge {} zb-state" data-state="{}">{}</span>', css, state, label
    )


@register.filter
def unacked(alarm) -> bool:
    """Waiting for someone to acknowledge it (INC-2)."""
    return alarm.state in UNACKED_STATES


@register.filter
def moment(value):
    """A time on the console, in the centre's zone: the time alone today, else with the date."""
    if value is None:
        return ""
    local = safe_localtime(value)  # a far stored time shows as stored (DESIGN rule 5)
    if local.date() == timezone.localtime().date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%m-%d %H:%M")
