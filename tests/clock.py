"""Times the tests send lie in the centre's window whatever today is (DESIGN rule 5, ORG-4:
back ``time.past_days``, 7 days by default). Two ways:

- ``ago(hours=2)`` / ``ahead(days=1)``: a time relative to now (the frozen clock if one is
  on), to the minute, as ISO 8601 in the centre's zone — for tests without a fixed day and for
  real ``zhiban serve`` servers, which cannot share a frozen clock;
- the ``fixed_clock`` fixture: the clock on 2026-11-28 10:00 in Shanghai, running — for tests
  that send fixed November 2026 times or read the year in a number (RW-2026-0001)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIXED = datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)


def ago(**delta) -> str:
    """Now minus ``delta`` (``timedelta``'s keywords), to the minute, in Shanghai."""
    return ahead(**{unit: -amount for unit, amount in delta.items()})


def ahead(**delta) -> str:
    """Now plus ``delta`` (``timedelta``'s keywords), to the minute, in Shanghai."""
    at = timezone.now().astimezone(SHANGHAI) + timedelta(**delta)
    return at.replace(second=0, microsecond=0).isoformat()


@pytest.fixture
def fixed_clock():
    """2026-11-28 10:00 in Shanghai, the clock running: the fixed times of 2026-11-27 and the
    morning of 2026-11-28 lie in the window (ORG-4), and numbers carry the year 2026."""
    with time_machine.travel(FIXED, tick=True) as traveller:
        yield traveller


def set_window(admin, code: str = "alpha", **days) -> None:
    """The centre's window changed by its administrator through the API, e.g.
    ``set_window(api(admin_a), past_days=1)`` sets ``time.past_days`` (ORG-4)."""
    version = admin.get(f"/centres/{code}").json()["version"]
    values = {f"time.{name}": value for name, value in days.items()}
    changed = admin.patch(f"/centres/{code}/settings", {"version": version, "values": values})
    assert changed.status_code == 200, changed.content
