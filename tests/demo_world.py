"""The demo world the generated tests walk (ORG-3 scoping, DESIGN-1 versions): ``zhiban demo``
loaded inside the test's transaction, plus a record of each kind and state the demo does not
make, so every page and API path with an id finds a real record to act on. Also how a path
names its records (``models_named``) and the values of path parameters that are neither a
centre nor an id (``route_values``)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from zhiban.alarms import services as alarms
from zhiban.alarms.models import Alarm, AlarmState
from zhiban.core import services as core
from zhiban.core.actors import Source
from zhiban.core.models import Level
from zhiban.core.notify import notify
from zhiban.duty import services as duty
from zhiban.duty.models import CheckState, Handover, RosterEntry
from zhiban.ops import services as ops
from zhiban.ops.models import OperationTicket, TicketState
from zhiban.org import services as org_services
from zhiban.org.models import Centre, Equipment, Person

CENTRE = "suwu"


def load() -> tuple[Centre, Person]:
    """The demo and the records it lacks; returns the power centre (suwu) and its
    administrator, who is also the platform administrator."""
    call_command("demo", stdout=io.StringIO())
    suwu = Centre.objects.get(code=CENTRE)
    admin = Person.objects.get(username="admin")
    _records_the_demo_lacks(suwu, admin)
    _states_the_demo_lacks(suwu, admin)
    _offered_handover(Centre.objects.get(code="xinghu"))
    return suwu, admin


def _records_the_demo_lacks(centre, admin) -> None:
    by = {"actor": admin, "source": Source.CLI, "centre": centre}
    shift = duty.current_shift(centre)
    mine = RosterEntry.objects.filter(shift=shift).first()
    later = RosterEntry.objects.filter(shift__centre=centre, shift__starts_at__gt=shift.starts_at)
    other = later.exclude(person=mine.person).first()
    duty.swap_request(**by, data={"first": mine.pk, "second": other.pk, "reason": "家中有事"})
    duty.handover_prepare(actor=mine.person, source=Source.CLI, centre=centre)
    duty.weather_start(**by, data={"kind": "typhoon", "reason": "台风预警"})
    equipment = Equipment.objects.filter(centre=centre).first()
    ops.lock_place(**by, data={"equipment": equipment.pk, "reason": "检修"})
    now = timezone.now()
    alarms.commissioning_create(
        **by,
        data={
            "equipment": equipment.pk,
            "starts_at": now,
            "ends_at": now + timedelta(hours=2),
            "note": "调试",
        },
    )
    core.chat_robot_create(
        **by,
        data={
            "name": "值班群",
            "channel": "wecom",
            "url": "https://robot.invalid/hook",
            "secret": "",
            "min_level": Level.INFO,
            "active": True,
        },
    )
    notify(actor=admin, source=Source.CLI, people=[admin], centre=centre, title="台风预警")
    org_services.api_token_create(actor=admin, source=Source.CLI, name="scoping", sources=[])


def _states_the_demo_lacks(centre, admin) -> None:
    """Records moved on to the states whose actions the demo does not offer: a person of the
    current shift signed in (DUTY-2), a shelved alarm (INC-2), a reviewed ticket (OPS-3)."""
    by = {"actor": admin, "source": Source.CLI}
    entry = RosterEntry.objects.filter(shift=duty.current_shift(centre)).first()
    duty.sign_in(actor=entry.person, source=Source.CLI, entry_id=entry.pk, version=entry.version)
    alarm = Alarm.objects.filter(centre=centre, state=AlarmState.UNACKED).first()
    until = timezone.localtime(timezone.now() + timedelta(hours=1), centre.tz)
    alarms.alarm_shelve(
        **by,
        alarm_id=alarm.pk,
        version=alarm.version,
        data={"reason": "调试中", "until": until.strftime("%Y-%m-%dT%H:%M")},
    )
    ticket = OperationTicket.objects.filter(centre=centre, state=TicketState.DRAFT).first()
    reviewer = Person.objects.filter(memberships__team=ticket.team_id).exclude(
        pk=ticket.filled_by_id
    )
    ops.ticket_review(
        actor=reviewer.first() if ticket.team_id else admin,
        source=Source.CLI,
        ticket_id=ticket.pk,
        version=ticket.version,
    )


def _offered_handover(centre) -> Handover:
    """The current shift's handover of a centre without blockers (DUTY-10), signed by the
    outgoing side with two abnormal checks: one item to acknowledge, one marked unclear for
    the outgoing side to clarify (DUTY-4)."""
    shift = duty.current_shift(centre)
    outgoing = RosterEntry.objects.filter(shift=shift).first().person
    incoming = RosterEntry.objects.filter(shift=duty.next_shift(shift)).first().person
    by = {"actor": outgoing, "source": Source.CLI}
    handover = duty.handover_prepare(**by, centre=centre)
    for check in handover.checks.all():
        handover = duty.handover_check(
            **by,
            handover_id=handover.pk,
            version=handover.version,
            check_id=check.pk,
            data={"state": CheckState.ABNORMAL, "note": f"{check.check_item}有缺损"},
        )
    handover = duty.handover_offer(**by, handover_id=handover.pk, version=handover.version)
    unclear = handover.items.first()
    duty.handover_item_mark_unclear(
        actor=incoming,
        source=Source.CLI,
        item_id=unclear.pk,
        version=unclear.version,
        data={"note": "缺损程度不清"},
    )
    return handover


# --- how paths name the records -----------------------------------------------------------------


def route_values() -> dict:
    """Values for parameters that are neither a centre nor an id, per route, taken from the
    registries that define them; a generated test fails on a route with such a parameter and
    no entry here."""
    from zhiban.core import console
    from zhiban.duty.views import HANDOVER_ACTIONS, ITEM_ACTIONS
    from zhiban.ops.views import ACTS

    imports = [{"kind": "sites"}]  # org import: sites | equipment
    return {
        "/api/centres/{code}/import/{kind}": imports,
        "/c/<str:code>/org/import/<str:kind>/": imports,
        "/c/<str:code>/org/import/<str:kind>/template.xlsx": imports,
        "/c/<str:code>/panel/<str:key>/": [{"key": p.key} for p in console.panels()],
        "/c/<str:code>/duty/handovers/<int:pk>/<str:action>/": [
            {"action": a} for a in [*HANDOVER_ACTIONS, *ITEM_ACTIONS]
        ],
        "/c/<str:code>/ops/<str:kind>/<int:pk>/act/<str:key>/": [
            {"kind": kind, "key": key} for kind, acts in ACTS.items() for key in acts
        ],
    }


def _singular(segment: str) -> str:
    word = segment.replace("-", "").replace("_", "").lower()
    if word == "people":
        return "person"
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def models_named(segment: str) -> list:
    """Models whose name matches the path segment: exact, then ending, starting, containing."""
    word = _singular(segment)
    ranked = []
    for model in apps.get_models():
        if not model.__module__.startswith("zhiban."):
            continue
        name = model.__name__.lower()
        for rank, hit in enumerate(
            (name == word, name.endswith(word), name.startswith(word), word in name)
        ):
            if hit:
                ranked.append((rank, name, model))
                break
    return [model for _rank, _name, model in sorted(ranked)]
