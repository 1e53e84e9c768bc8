"""Tickets driven to their end states through the API, a clock on a November morning in the
centre's zone (the ``november`` fixture, offered by conftest), and labels as the zh-Hans
reader sees them — for the printing (OPS-13) and statistics (OPS-14) tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def november():
    """The tests happen on 2026-11-27 09:00 in the centre's zone (01:00 UTC)."""
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI), tick=False) as clock:
        yield clock


def zh(text, **values) -> str:
    """``text`` as the zh-Hans reader sees it (a msgid or a lazy label), so a test holds before
    and after the Chinese catalogue has the msgid."""
    with translation.override("zh-hans"):
        shown = gettext(text) if isinstance(text, str) else str(text)
    return shown % values if values else shown


def squash(text: str) -> str:
    """Without white space: a label may wrap where the PDF has no space left."""
    return "".join(text.split())


def done(flow, **extra) -> dict:
    """A team ticket ordered, the centre told, every step ticked: completed."""
    ticket = flow.ready(**extra)
    for seq in range(1, len(ticket["steps"]) + 1):
        r = flow.tick(ticket, seq)
        assert r.status_code == 200, r.content
        ticket = r.json()
    assert ticket["state"] == "completed"
    return ticket


def voided(flow, reason="调度取消操作") -> dict:
    return flow.ok("field_a", flow.review(flow.ticket()), "void", reason=reason)


def terminated(flow) -> dict:
    """Step 1 done, then terminated (终止操作): steps 2 and 3 are not executed."""
    ticket = flow.tick(flow.ready(), 1).json()
    return flow.ok("leader_a", ticket, "terminate", reason="调度令终止")


LOOP = ("遥控合上113开关（合环）", "遥控合上113开关\n检查113开关确已合上")


def centre_done(flow) -> dict:
    """A ticket the centre executes itself (OPS-3): a loop closing filled by the deputy,
    reviewed and ordered by the chief, both steps ticked by the deputy: completed."""
    task, steps = LOOP
    site = flow.w.sites["station"].pk
    body = {"executor": "centre", "site": site, "task": task, "task_kind": "loop", "steps": steps}
    r = flow.as_("deputy_a").post("/centres/alpha/tickets", body)
    assert r.status_code == 201, r.content
    ticket = flow.give_order(flow.review(r.json(), by="chief_a"), by="chief_a")
    for seq in (1, 2):
        r = flow.tick(ticket, seq, by="deputy_a", operator="deputy_a", guardian="chief_a")
        assert r.status_code == 200, r.content
        ticket = r.json()
    return ticket
