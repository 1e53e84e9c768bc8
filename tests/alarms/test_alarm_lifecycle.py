"""The alarm lifecycle (INC-2) as one transition table, ``Alarm.FLOW``, drawn into
docs/flows/alarm.md; events that arrive out of order, through ``POST /api/events``: the
condition follows the latest event by event time, so a clear that came before its raise does
not leave the alarm active, and the late raise still shows (cleared, unacknowledged)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from .test_alarm_console import BASE, Gateway, event, iso, listed

DOCS = Path(__file__).resolve().parents[2] / "docs" / "flows"
SIGNAL = "10kV母线接地"


@pytest.fixture
def gateway(world, api) -> Gateway:
    return Gateway(world, api)


@pytest.fixture
def at():
    """Event times: ``at(s)`` is s seconds after a moment five minutes ago."""
    base = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    return lambda seconds: iso(base + timedelta(seconds=seconds))


def raised(at_: str) -> dict:
    return event(SIGNAL, at=at_)


def cleared(at_: str) -> dict:
    return event(SIGNAL, at=at_, action="clear")


def the_alarm(api, person) -> dict:
    """The key's one open alarm."""
    found = [a for a in listed(api, person) if a["signal"] == SIGNAL]
    assert len(found) == 1, found
    return found[0]


def test_the_alarm_lifecycle_is_one_table_drawn_in_the_docs__INC_2(tmp_path):
    """Issue 11 item 1: the gateway's fold and people's actions share ``Alarm.FLOW``, and
    ``zhiban flows`` draws it with every transition."""
    call_command("flows", "--out", str(tmp_path))
    drawn = (tmp_path / "alarm.md").read_text()
    for line in (
        "[*] --> cleared",
        "cleared --> unacked: raise",
        "cleared --> suppressed: suppress",
        "cleared_unacked --> unacked: raise",
        "unacked --> cleared_unacked: clear",
        "acked --> cleared: clear",
        "suppressed --> cleared: clear",
        "unacked --> acked: acknowledge",
        "cleared_unacked --> cleared: acknowledge",
        "acked --> shelved: shelve",
        "shelved --> unacked: unshelve",
        "shelved --> cleared: unshelve_cleared",
    ):
        assert line in drawn, line
    assert (DOCS / "alarm.md").read_text() == drawn


@pytest.mark.parametrize(
    "batches",
    [
        pytest.param(["clear", "raise"], id="clear-first"),
        pytest.param(["raise", "clear"], id="raise-first"),
        pytest.param(["clear+raise"], id="one-batch-clear-listed-first"),
        pytest.param(["raise+clear"], id="one-batch-raise-listed-first"),
    ],
)
def test_a_clear_later_by_event_time_leaves_the_alarm_cleared_in_any_arrival_order__INC_2(
    world, api, gateway, at, batches
):
    """Raise at :00, clear at :05, in two batches in both orders and in one batch: the alarm
    is cleared and unacknowledged (an operator still sees it happened), never active."""
    events = {"raise": raised(at(0)), "clear": cleared(at(5))}
    for batch in batches:
        gateway.send(*[events[name] for name in batch.split("+")])
    alarm = the_alarm(api, world.people["deputy_a"])
    assert alarm["state"] == "cleared_unacked" and not alarm["active"]
    assert alarm["count"] == 1
    assert datetime.fromisoformat(alarm["first_at"]) == datetime.fromisoformat(at(0))
    r = api(world.people["deputy_a"]).post(f"{BASE}/alarms/{alarm['id']}/ack")
    assert r.status_code == 200 and r.json()["state"] == "cleared"


def test_a_late_raise_older_than_the_clear_does_not_raise_the_alarm_again__INC_2(
    world, api, gateway, at
):
    """Raise :00, clear :10, then a raise of :05 sent late: counted, still cleared."""
    gateway.send(raised(at(0)))
    gateway.send(cleared(at(10)))
    gateway.send(raised(at(5)))
    alarm = the_alarm(api, world.people["deputy_a"])
    assert alarm["state"] == "cleared_unacked" and not alarm["active"]
    assert alarm["count"] == 2
    gateway.send(raised(at(15)))  # a raise after the clear raises it again
    again = the_alarm(api, world.people["deputy_a"])
    assert again["id"] == alarm["id"] and again["state"] == "unacked" and again["active"]


def test_a_late_clear_older_than_the_last_raise_leaves_the_alarm_active__INC_2(
    world, api, gateway, at
):
    """Raise :00, raise :10, then a clear of :05 sent late: the condition is still present."""
    gateway.send(raised(at(0)))
    gateway.send(raised(at(10)))
    gateway.send(cleared(at(5)))
    alarm = the_alarm(api, world.people["deputy_a"])
    assert alarm["state"] == "unacked" and alarm["active"] and alarm["count"] == 2
