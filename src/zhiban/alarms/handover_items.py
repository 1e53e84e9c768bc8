"""What the alarms put on a handover (DUTY-3): the centre's unacknowledged alarms at that moment,
as one item the incoming side acknowledges ("I know these are not acknowledged yet"), however
many there are; shelved alarms are listed one by one (``selectors.shelved_alarm_things``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhiban.core.timewindow import shown
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from .models import Alarm, AlarmState
from .selectors import alarm_label

LISTED = 30  # the most urgent ones named in the item; the count says how many in all
UNACKNOWLEDGED = [AlarmState.UNACKED, AlarmState.CLEARED_UNACKED]


def unacknowledged_alarm_things(centre) -> Iterable[OpenThing]:
    """DUTY-3: the unacknowledged alarms (active or cleared), most urgent first, each with the
    time it first came; not blocking — the incoming side acknowledges knowing them."""
    alarms = Alarm.objects.filter(centre=centre, state__in=UNACKNOWLEDGED)
    total = alarms.count()
    if not total:
        return
    named = [
        f"{alarm_label(alarm)}（{shown(alarm.first_at, centre.tz, '%m-%d %H:%M')}）"
        for alarm in alarms.select_related("site", "equipment").order_by("priority", "-last_at")[
            :LISTED
        ]
    ]
    more = total - len(named)
    detail = "；".join(named) + (_("; %(count)s more") % {"count": more} if more else "")
    yield OpenThing(
        ItemKind.ALARM,
        ngettext("%(count)s unacknowledged alarm", "%(count)s unacknowledged alarms", total)
        % {"count": total},
        link=f"/c/{centre.code}/alarms/",
        detail=detail,
    )
