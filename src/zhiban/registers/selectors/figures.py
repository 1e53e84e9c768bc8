"""The registers' figures over a period (RPT-1): what a security room's and a hotel room
centre's registers counted in [start, end), only the registers the centre's kind keeps — a
security room's footage requests, visitors and screen uses (REG-1, REG-2, REG-9), a hotel
desk's wake-up calls and do-not-disturb checks (REG-7, REG-8), and the desk registers both
keep: lending, lost and found, phone messages and repairs (REG-3 … REG-6). One aggregate
query per register."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.figures import Figure, rate
from zhiban.org.models import CentreKind

from ..models import (
    ApprovalState,
    CallResult,
    DndCheck,
    DndState,
    FootageAccess,
    FootageRequest,
    FoundItem,
    FoundState,
    Loan,
    PhoneMessage,
    Repair,
    ScreenUse,
    ScreenUseKind,
    Visitor,
    VisitorState,
    WakeUpAttempt,
    WakeUpCall,
    WakeUpState,
)


def _in(field: str, start: datetime, end: datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def security_figures(centre, start: datetime, end: datetime) -> list[Figure]:
    """REG-2: footage requests made in the period, approved, refused, and the accesses
    recorded; REG-1: visitors registered, refused, arrived; REG-9: screen uses asked."""
    footage = FootageRequest.objects.filter(centre=centre).aggregate(
        asked=Count("pk", filter=_in("created_at", start, end)),
        approved=Count(
            "pk", filter=_in("created_at", start, end) & Q(state=ApprovalState.APPROVED)
        ),
        refused=Count("pk", filter=_in("created_at", start, end) & Q(state=ApprovalState.REFUSED)),
    )
    accesses = FootageAccess.objects.filter(
        request__centre=centre, at__gte=start, at__lt=end
    ).count()
    visitors = Visitor.objects.filter(centre=centre).aggregate(
        registered=Count("pk", filter=_in("created_at", start, end)),
        refused=Count("pk", filter=_in("created_at", start, end) & Q(state=VisitorState.REFUSED)),
        arrived=Count("pk", filter=_in("arrived_at", start, end)),
    )
    screens = ScreenUse.objects.filter(centre=centre, created_at__gte=start, created_at__lt=end)
    uses = screens.aggregate(
        big_screen=Count("pk", filter=Q(kind=ScreenUseKind.BIG_SCREEN)),
        remote=Count("pk", filter=Q(kind=ScreenUseKind.REMOTE_OPERATION)),
    )
    return [
        Figure("footage_requests", _("Footage requests"), footage["asked"], rule="REG-2"),
        Figure(
            "footage_approved", _("Footage requests approved"), footage["approved"], rule="REG-2"
        ),
        Figure("footage_refused", _("Footage requests refused"), footage["refused"], rule="REG-2"),
        Figure("footage_accesses", _("Footage accesses recorded"), accesses, rule="REG-2"),
        Figure(
            "visitors_registered", _("Visitors registered"), visitors["registered"], rule="REG-1"
        ),
        Figure("visitors_refused", _("Visits refused"), visitors["refused"], rule="REG-1"),
        Figure("visitors_arrived", _("Visitors received"), visitors["arrived"], rule="REG-1"),
        Figure("big_screen_uses", _("Big-screen uses"), uses["big_screen"], rule="REG-9"),
        Figure("remote_operations", _("Remote operations"), uses["remote"], rule="REG-9"),
    ]


def hotel_figures(centre, start: datetime, end: datetime) -> list[Figure]:
    """REG-7: wake-up calls due in the period — woken by phone, after a second call, or a
    floor attendant sent; REG-8: rooms listed showing do-not-disturb, answered on the phone,
    managers told, still open."""
    missed_once = WakeUpAttempt.objects.filter(call=OuterRef("pk")).exclude(
        result=CallResult.ANSWERED
    )
    calls = (
        WakeUpCall.objects.filter(centre=centre, wake_at__gte=start, wake_at__lt=end)
        .annotate(missed_once=Exists(missed_once))
        .aggregate(
            booked=Count("pk"),
            woken=Count("pk", filter=Q(state=WakeUpState.ANSWERED)),
            second=Count("pk", filter=Q(state=WakeUpState.ANSWERED, missed_once=True)),
            attendant=Count(
                "pk", filter=Q(state__in=[WakeUpState.SEND_ATTENDANT, WakeUpState.VISITED])
            ),
        )
    )
    dnd = DndCheck.objects.filter(centre=centre, listed_at__gte=start, listed_at__lt=end).aggregate(
        listed=Count("pk"),
        answered=Count("pk", filter=Q(call_result=CallResult.ANSWERED)),
        escalated=Count("pk", filter=Q(notified_at__isnull=False)),
        open=Count("pk", filter=~Q(state=DndState.DONE)),
    )
    return [
        Figure("wakeups_booked", _("Wake-up calls booked"), calls["booked"], rule="REG-7"),
        Figure(
            "wakeups_woken", _("Guests woken by phone"), calls["woken"], better="up", rule="REG-7"
        ),
        Figure(
            "wakeups_second_call",
            _("Woken only at the second call"),
            calls["second"],
            better="down",
            rule="REG-7",
        ),
        Figure(
            "wakeups_attendant",
            _("Floor attendant sent (no answer twice)"),
            calls["attendant"],
            better="down",
            rule="REG-7",
        ),
        Figure(
            "wakeups_woken_rate",
            _("Woken by phone, share"),
            rate(calls["woken"], calls["woken"] + calls["attendant"]),
            unit="%",
            better="up",
            rule="REG-7",
        ),
        Figure("dnd_listed", _("Do-not-disturb rooms followed up"), dnd["listed"], rule="REG-8"),
        Figure(
            "dnd_answered", _("Do-not-disturb: answered the phone"), dnd["answered"], rule="REG-8"
        ),
        Figure(
            "dnd_escalated",
            _("Do-not-disturb: no answer, managers told"),
            dnd["escalated"],
            better="down",
            rule="REG-8",
        ),
        Figure(
            "dnd_open", _("Do-not-disturb: still open"), dnd["open"], better="down", rule="REG-8"
        ),
    ]


def desk_figures(centre, start: datetime, end: datetime) -> list[Figure]:
    """REG-4: items lent in the period, returned in it, and of those lent the ones back late
    or still out past their due time; REG-5: items found and handed back; REG-3, REG-6:
    phone messages taken and repairs reported."""
    now = timezone.now()
    lent = _in("lent_at", start, end)
    late = Q(returned_at__gt=F("due_at")) | Q(returned_at__isnull=True, due_at__lt=min(now, end))
    loans = Loan.objects.filter(centre=centre).aggregate(
        lent=Count("pk", filter=lent),
        returned=Count("pk", filter=_in("returned_at", start, end)),
        overdue=Count("pk", filter=lent & late),
    )
    found = FoundItem.objects.filter(centre=centre).aggregate(
        found=Count("pk", filter=_in("found_at", start, end)),
        claimed=Count("pk", filter=_in("handed_back_at", start, end)),
        kept=Count("pk", filter=_in("found_at", start, end) & Q(state=FoundState.KEPT)),
    )
    messages = PhoneMessage.objects.filter(centre=centre, at__gte=start, at__lt=end).count()
    repairs = Repair.objects.filter(
        centre=centre, reported_at__gte=start, reported_at__lt=end
    ).count()
    return [
        Figure("items_lent", _("Items lent"), loans["lent"], rule="REG-4"),
        Figure("items_returned", _("Items returned"), loans["returned"], rule="REG-4"),
        Figure(
            "items_overdue",
            _("Items back late or overdue"),
            loans["overdue"],
            better="down",
            rule="REG-4",
        ),
        Figure("items_found", _("Lost property found"), found["found"], rule="REG-5"),
        Figure("items_claimed", _("Lost property handed back"), found["claimed"], rule="REG-5"),
        Figure("items_kept", _("Of those found, still kept"), found["kept"], rule="REG-5"),
        Figure("phone_messages", _("Phone messages taken"), messages, rule="REG-3"),
        Figure("repairs_reported", _("Repairs reported"), repairs, rule="REG-6"),
    ]


def period_figures(*, centre, start: datetime, end: datetime) -> list[Figure]:
    """RPT-1: the registers' figures of the centre's kind over [start, end); none for a kind
    that keeps no registers."""
    if centre.kind == CentreKind.SECURITY:
        return security_figures(centre, start, end) + desk_figures(centre, start, end)
    if centre.kind == CentreKind.HOUSEKEEPING:
        return hotel_figures(centre, start, end) + desk_figures(centre, start, end)
    return []


# --- details for the monthly report's tables and charts -----------------------------------


def _per_day(queryset, field: str, centre, **counts) -> dict[date, dict[str, int]]:
    rows = (
        queryset.annotate(day=TruncDate(field, tzinfo=centre.tz))
        .order_by()
        .values("day")
        .annotate(**counts)
        .order_by("day")
    )
    return {r["day"]: {key: r[key] for key in counts} for r in rows}


def wakeups_per_day(*, centre, start: datetime, end: datetime) -> dict[date, dict[str, int]]:
    """REG-7: wake-up calls due each day of the period: booked, woken by phone, attendant
    sent."""
    return _per_day(
        WakeUpCall.objects.filter(centre=centre, wake_at__gte=start, wake_at__lt=end),
        "wake_at",
        centre,
        booked=Count("pk"),
        woken=Count("pk", filter=Q(state=WakeUpState.ANSWERED)),
        attendant=Count(
            "pk", filter=Q(state__in=[WakeUpState.SEND_ATTENDANT, WakeUpState.VISITED])
        ),
    )


def visitors_per_day(*, centre, start: datetime, end: datetime) -> dict[date, dict[str, int]]:
    """REG-1: visitors received each day of the period."""
    return _per_day(
        Visitor.objects.filter(centre=centre, arrived_at__gte=start, arrived_at__lt=end),
        "arrived_at",
        centre,
        arrived=Count("pk"),
    )


def footage_by_unit(*, centre, start: datetime, end: datetime) -> list[tuple[str, int, int, int]]:
    """REG-2: the period's footage requests per requesting unit: asked, approved, refused —
    the most asking unit first."""
    rows = (
        FootageRequest.objects.filter(centre=centre, created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("requester_unit")
        .annotate(
            asked=Count("pk"),
            approved=Count("pk", filter=Q(state=ApprovalState.APPROVED)),
            refused=Count("pk", filter=Q(state=ApprovalState.REFUSED)),
        )
        .order_by("-asked", "requester_unit")
    )
    return [(r["requester_unit"], r["asked"], r["approved"], r["refused"]) for r in rows]


def loans_by_item(*, centre, start: datetime, end: datetime) -> list[tuple[str, int, int]]:
    """REG-4: the items lent in the period, by item: how many times, and how many of those
    are still out."""
    rows = (
        Loan.objects.filter(centre=centre, lent_at__gte=start, lent_at__lt=end)
        .order_by()
        .values("item")
        .annotate(lent=Count("pk"), out=Count("pk", filter=Q(returned_at__isnull=True)))
        .order_by("-lent", "item")
    )
    return [(r["item"], r["lent"], r["out"]) for r in rows]
