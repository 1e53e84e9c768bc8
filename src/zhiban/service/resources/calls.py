"""The caller log (来电记录) as the page, the API and the .xlsx export see it: one FilterSet and
one column list (issue 12 item 9, CS-1, CS-6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.core.tables import Column, Table
from zhiban.org.filters import people_of

from .. import phones
from ..models import Call, CallDirection
from ..selectors.calls import shown_duration


class CallFilter(SearchFilterSet):
    """A day (the centre's calendar), direction, missed, waiting in the queue, the answering
    agent, and a number or customer name."""

    search_fields = ("number", "from_number", "to_number", "customer__name", "call_id")
    day = df.DateFilter(label=_("day"), method="on_day")
    direction = df.ChoiceFilter(
        label=_("direction"), choices=CallDirection.choices, empty_label=_("All")
    )
    missed = ActiveFilter(label=_("missed"))
    waiting = ActiveFilter(label=_("waiting to be called back (CS-6)"), method="by_waiting")
    agent = ChooserFilter(label=_("agent"), field_name="answered_by_id", choices=people_of)

    class Meta:
        model = Call
        fields = ["q", "day", "direction", "missed", "waiting", "agent"]

    def on_day(self, queryset, name, value):
        """The day in the zone the request shows (the centre's: pages and API set it); a day
        at the calendar's ends finds no call, never a 500 (ORG-4)."""
        zone = timezone.get_current_timezone()
        try:
            start = timezone.make_aware(datetime.combine(value, datetime.min.time()), zone)
            end = start + timedelta(days=1)
            start.astimezone(UTC), end.astimezone(UTC)
        except OverflowError:
            return queryset.none()
        return queryset.filter(started_at__gte=start, started_at__lt=end)

    def by_waiting(self, queryset, name, value):
        waiting = Q(missed=True, case=None, called_back_at=None)
        if value is None:
            return queryset
        return queryset.filter(waiting) if value else queryset.exclude(waiting)


def _state(call: Call) -> str:
    if call.missed:
        return str(_("called back")) if call.called_back_at or call.case_id else str(_("missed"))
    return call.get_state_display()


CALLS = Table(
    [
        Column(_("time"), "started_at", link=True, width=17),
        Column(_("direction"), "direction", width=10),
        Column(_("customer's number"), lambda c: phones.shown(c.number) or c.from_number, width=16),
        Column(_("customer"), "customer.name", width=14),
        Column(_("agent"), "answered_by.name", width=10),
        Column(_("state"), _state, width=10),
        Column(_("duration"), shown_duration, width=9),
        Column(_("case"), "case.number", width=16),
        Column(_("taken by"), "taken_by.name", width=10),
        Column(_("hang-up cause"), "cause", width=14),
        Column(_("queue"), "queue", width=10),
        Column(_("recording"), "recording", width=30),
    ]
)
