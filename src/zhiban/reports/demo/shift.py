"""The demo's shift reports (RPT-1): at 苏吴监控中心 and 星湖广场 the shift that ended last hands
over to the shift on now, through duty's services as the crews do it — the outgoing side
hands the running incident over (DUTY-10), checks the shared items and signs, the incoming
side signs in, acknowledges every item and takes over — so the take-over itself freezes the
report (``duty.hooks``) and today's daily log has a shift to open. An accepted handover
without a report gets one through the service. Loading again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from zhiban.core.actors import DEMO, Source
from zhiban.core.errors import DomainError
from zhiban.duty import services as duty
from zhiban.duty.models import (
    Handover,
    ItemKind,
    ItemState,
    RosterEntry,
    Shift,
)

from ..services.shift import shift_reports_catch_up

CENTRES = ["suwu", "xinghu"]
CLI = Source.CLI


def load(ctx: dict) -> None:
    for code in CENTRES:
        centre = ctx.get("centres", {}).get(code)
        if centre is not None:
            try:
                _hand_over(centre)
            except DomainError:  # a blocker the demo does not hand over: no report there
                continue
    shift_reports_catch_up(actor=DEMO, source=CLI, since=timezone.now() - timedelta(days=30))


@transaction.atomic
def _hand_over(centre) -> None:
    """The last ended shift hands over to the one on now (all or nothing)."""
    current = duty.current_shift(centre)
    if current is None:
        return
    previous = (
        Shift.objects.filter(centre=centre, ends_at__lte=current.starts_at)
        .order_by("-starts_at")
        .first()
    )
    if previous is None or Handover.objects.filter(outgoing_shift=previous).exists():
        return
    following = duty.next_shift(previous)
    crews = RosterEntry.objects.order_by("pk")
    outgoing = crews.filter(shift=previous).first()
    incoming = crews.filter(shift=following).first() if following else None
    if outgoing is None or incoming is None:
        return
    out = {"actor": outgoing.person, "source": CLI}
    handover = duty.handover_prepare(**out, centre=centre, shift_id=previous.pk)
    for item in handover.items.filter(kind=ItemKind.INCIDENT):
        duty.handover_item_hand_over_running(
            **out,
            item_id=item.pk,
            version=item.version,
            data={
                "handled_by": "远动班 张工",
                "expected_at": timezone.localtime(timezone.now() + timedelta(hours=2), centre.tz)
                .replace(second=0, microsecond=0)
                .strftime("%Y-%m-%dT%H:%M"),
            },
        )
    handover.refresh_from_db()
    for check in handover.checks.all():
        handover = duty.handover_check(
            **out,
            handover_id=handover.pk,
            version=handover.version,
            check_id=check.pk,
            data={"state": "normal", "note": ""},
        )
    handover = duty.handover_offer(**out, handover_id=handover.pk, version=handover.version)
    into = {"actor": incoming.person, "source": CLI}
    if incoming.signed_in_at is None:
        duty.sign_in(**into, entry_id=incoming.pk, version=incoming.version)
    for item in handover.items.filter(state=ItemState.PENDING):
        duty.handover_item_acknowledge(**into, item_id=item.pk, version=item.version)
    handover.refresh_from_db()
    duty.handover_accept(**into, handover_id=handover.pk, version=handover.version)
