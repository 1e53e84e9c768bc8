"""The work lists (work tickets, tags, limit changes, setting sheets) filter by team, station
and equipment chosen by name from the centre's own records, not by a typed database id
(issue 11); another centre's are not offered (ORG-3)."""

from __future__ import annotations

import pytest

from ..core.test_choosers import beta_team, chooser  # noqa: F401 (beta_team: a fixture)
from .test_limits import limit_body


@pytest.mark.usefixtures("beta_team")
@pytest.mark.parametrize(
    ("path", "name", "own", "other"),
    [
        ("/c/alpha/ops/work/", "team", "一队", "贝塔巡逻队"),
        ("/c/alpha/ops/work/", "site", "一号变", "一层"),
        ("/c/alpha/ops/tags/", "site", "一号变", "一层"),
        ("/c/alpha/ops/limits/", "site", "一号变", "一层"),
        ("/c/alpha/ops/limits/", "equipment", "一号变 · 苏越线开关 751", None),
        ("/c/alpha/ops/setting-sheets/", "site", "一号变", "一层"),
    ],
)
def test_work_filter_offers_the_centre_records_by_name__ORG_3(
    world,
    web,
    grid,
    path,
    name,
    own,
    other,
):
    page = web(world.people["chief_a"]).get(path)
    assert page.status_code == 200
    choices = chooser(page.content.decode(), name)
    assert own in choices.values() and other not in choices.values()
    assert choices[""]  # "all" first: no filter by default


def test_limit_changes_chosen_by_equipment_on_the_page(work, web):
    """The chooser sends the equipment's id: the page lists its limit changes only."""
    on_breaker = work.as_("field_a").post(
        "/centres/alpha/limit-changes", limit_body(work, quantity="电流上限")
    )
    on_capacitor = work.as_("field_a").post(
        "/centres/alpha/limit-changes",
        limit_body(work, equipment=work.g.capacitor.pk, quantity="无功上限"),
    )
    assert on_breaker.status_code == on_capacitor.status_code == 201
    page = web(work.p["chief_a"]).get("/c/alpha/ops/limits/", {"equipment": work.g.breaker.pk})
    html = page.content.decode()
    assert "电流上限" in html and "无功上限" not in html
