"""ACC-2, commissioning mode, through the gateway's ``POST /api/events``: while a new station's
acceptance is being checked, an alarm of one of its points (same station, same signal) is
stored suppressed — not ringing the operators — and the value shows on the point; other
signals ring as ever; once the sheet is closed the same signal rings again. A sheet still
being prepared holds nothing back. (The sheets' states are set straight in the table here:
opening and closing are the sheet's own services, tested with them.)"""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhiban.core.actors import Source
from zhiban.upkeep import services
from zhiban.upkeep.models import AcceptancePoint, AcceptanceSheet, SheetState

from ..alarms.test_alarm_console import Gateway, event, listed, one, zh
from .conftest import equipment, site
from .point_tables import GOOD, sheet_of, xlsx

SIGNAL = "10kV I段母线电压"  # the table's 遥测 point 0x4001 at S1


@pytest.fixture
def gateway(world, api) -> Gateway:
    return Gateway(world, api)


def imported(world, state) -> AcceptanceSheet:
    sheet = sheet_of(world)
    services.points_import(
        actor=world.people["chief_a"],
        source=Source.WEB,
        sheet_id=sheet.pk,
        version=sheet.version,
        file=xlsx(GOOD),
    )
    AcceptanceSheet.objects.filter(pk=sheet.pk).update(state=state)
    return sheet


def point(sheet, address: int) -> AcceptancePoint:
    return AcceptancePoint.objects.get(sheet=sheet, address=address)


def test_a_checking_sheets_point_is_stored_suppressed_and_shown_on_the_point__ACC_2(
    world, api, gateway
):
    sheet = imported(world, SheetState.CHECKING)
    deputy = world.people["deputy_a"]
    gateway.send(event(SIGNAL, "limit", value="10.9", text="越上限"), event("直流系统接地"))
    assert [a["signal"] for a in listed(api, deputy)] == ["直流系统接地"]  # only this one rings
    held = one(api, deputy, SIGNAL, "?state=suppressed")
    assert held["suppressed_reason"] == zh("being accepted (验收中, ACC-2)")
    bus = point(sheet, 0x4001)
    assert bus.last_value == "10.9" and bus.last_value_at is not None
    assert point(sheet, 16386).last_value == ""  # another signal of the table: nothing came


def test_where_the_event_names_a_bay_only_that_points_value_is_noted__ACC_2(world, api, gateway):
    """Two bays' 开关事故跳闸: the event of breaker 751 shows on 751's point only; an event
    naming no bay of the table shows on both (same station, same signal)."""
    for number in ("751", "752"):
        equipment(world.alpha, world.sites["station"], "breaker", f"{number}开关", number)
    sheet = sheet_of(world)
    trips = [
        ["S1", bay, "开关事故跳闸", "遥信", n, "事故", None, None, ""]
        for n, bay in ((1, "751"), (2, "752"))
    ]
    services.points_import(
        actor=world.people["chief_a"],
        source=Source.WEB,
        sheet_id=sheet.pk,
        version=1,
        file=xlsx(trips),
    )
    AcceptanceSheet.objects.filter(pk=sheet.pk).update(state=SheetState.CHECKING)
    gateway.send(event("开关事故跳闸", "accident", value="分", equipment="751"))
    assert [point(sheet, 1).last_value, point(sheet, 2).last_value] == ["分", ""]
    deputy = world.people["deputy_a"]
    assert one(api, deputy, "开关事故跳闸", "?state=suppressed")["klass"] == "accident"
    gateway.send(event("开关事故跳闸", "accident", value="合"))
    assert [point(sheet, 1).last_value, point(sheet, 2).last_value] == ["合", "合"]
    assert listed(api, deputy) == []


def test_after_the_sheet_closes_the_same_signal_rings_again__ACC_2(world, api, gateway):
    sheet = imported(world, SheetState.CHECKING)
    deputy = world.people["deputy_a"]
    gateway.send(event(SIGNAL, "limit", value="10.9"))
    gateway.send(event(SIGNAL, "limit", action="clear", value="10.2"))
    assert point(sheet, 0x4001).last_value == "10.2"
    assert listed(api, deputy) == []
    AcceptanceSheet.objects.filter(pk=sheet.pk).update(state=SheetState.CLOSED)
    gateway.send(event(SIGNAL, "limit", value="11.0", at=timezone.now().isoformat()))
    rings = one(api, deputy, SIGNAL)
    assert rings["state"] == "unacked" and rings["suppressed_reason"] == ""
    assert point(sheet, 0x4001).last_value == "10.2"  # the mode has ended: nothing noted


def test_a_sheet_being_prepared_holds_nothing_back__ACC_2(world, api, gateway):
    sheet = imported(world, SheetState.DRAFT)
    gateway.send(event(SIGNAL, "limit", value="10.9"))
    assert one(api, world.people["deputy_a"], SIGNAL)["state"] == "unacked"
    assert point(sheet, 0x4001).last_value == ""


def test_the_same_signal_at_another_station_is_not_held__ACC_2(world, api, gateway):
    """The match is the point's station and its signal: 二号变's alarm of that name rings."""
    site(world.alpha, "S2", "二号变")
    imported(world, SheetState.CHECKING)
    gateway.send(event(SIGNAL, "limit", value="10.9", site="S2"))
    assert one(api, world.people["deputy_a"], SIGNAL)["site_name"] == "二号变"
