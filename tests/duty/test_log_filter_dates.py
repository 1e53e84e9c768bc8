"""The lists' from / to filters are date boxes with the browser's picker, not text boxes that
take only an ISO date nobody is told about (DUTY-6, issue 11 item 4: the walk in chromium)."""

import re


def _box(page: str, name: str) -> str:
    [box] = re.findall(rf'<input [^>]*name="{name}"[^>]*>', page)
    return box


def test_the_logs_from_and_to_are_date_boxes_that_keep_their_value__DUTY_6(world, shifts, web):
    client = web(shifts.out_deputy)
    page = client.get("/c/alpha/duty/log/?since=2026-11-20").content.decode()
    assert 'type="date"' in _box(page, "since") and 'value="2026-11-20"' in _box(page, "since")
    assert 'type="date"' in _box(page, "until")


def test_a_resource_lists_from_and_to_are_date_boxes(world, shifts, web):
    """Every list through core.web's Resource (here the handovers) draws the same boxes."""
    page = web(shifts.out_deputy).get("/c/alpha/duty/handovers/?until=2026-11-27").content
    page = page.decode()
    assert 'type="date"' in _box(page, "since")
    assert 'type="date"' in _box(page, "until") and 'value="2026-11-27"' in _box(page, "until")
