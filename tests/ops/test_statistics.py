"""Ticket statistics (OPS-14): per team, for the centre's own tickets and in total, the
tickets of a month in the centre's time zone, completed, voided, terminated, assessed,
qualified and the qualified rate (合格率) — through the API and the page; scope (ORG-3) and
bad input (422)."""

from datetime import datetime

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.org import services as org

from .conftest import BASE
from .finished import SHANGHAI, centre_done, done, terminated, voided, zh


def assess(flow, ticket, qualified: bool) -> dict:
    return flow.ok("head_a", ticket, "assess", qualified=qualified)


@pytest.fixture
def month(november, flow, world):
    """November 2026 at 阿尔法监控中心: 一队 has a completed ticket (qualified), a voided one
    (not qualified), a terminated one (not assessed) and a draft filled at 00:30 on 1 November
    (16:30 UTC on 31 October); the centre completed one of its own (qualified); 二队 has none;
    a ticket filled at 00:30 on 1 December (still 30 November in UTC) is December's."""
    second_team = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"name": "二队", "kind": "operation", "active": True},
    )
    november.move_to(datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI))
    flow.ticket()
    november.move_to(datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI))
    flow.ticket()
    november.move_to(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI))
    assess(flow, done(flow), True)
    assess(flow, voided(flow), False)
    terminated(flow)
    assess(flow, centre_done(flow), True)
    return second_team


def rows_of(flow, month="2026-11", login="head_a") -> dict:
    r = flow.as_(login).get(f"{BASE}/tickets/statistics?month={month}")
    assert r.status_code == 200, r.content
    assert r.json()["month"] == month
    return {row["key"]: row for row in r.json()["rows"]}


def counts(row) -> tuple:
    names = ("tickets", "completed", "voided", "terminated", "assessed", "qualified")
    return tuple(row[name] for name in names)


def test_statistics_count_the_month_per_team_the_centre_and_in_total__OPS_14(flow, month):
    rows = rows_of(flow)
    team, second = rows[f"team-{flow.w.team.pk}"], rows[f"team-{month.pk}"]
    assert list(rows) == ["centre", f"team-{flow.w.team.pk}", f"team-{month.pk}", "total"]
    assert team["label"] == "一队" and team["team_id"] == flow.w.team.pk
    assert counts(team) == (4, 1, 1, 1, 2, 1)
    assert counts(rows["centre"]) == (1, 1, 0, 0, 1, 1)
    assert rows["centre"]["label"] == "阿尔法监控中心" and rows["centre"]["team_id"] is None
    assert counts(second) == (0, 0, 0, 0, 0, 0)
    assert counts(rows["total"]) == (5, 2, 1, 1, 3, 2)


def test_qualified_rate_is_qualified_among_the_assessed__OPS_14(flow, month):
    rows = rows_of(flow)
    team, second = rows[f"team-{flow.w.team.pk}"], rows[f"team-{month.pk}"]
    assert (team["qualified_rate"], team["qualified_rate_display"]) == (0.5, "50.0%")
    assert rows["centre"]["qualified_rate_display"] == "100.0%"
    assert rows["total"]["qualified_rate"] == pytest.approx(2 / 3)
    assert rows["total"]["qualified_rate_display"] == "66.7%"
    assert (second["qualified_rate"], second["qualified_rate_display"]) == (None, "—")


def test_tickets_belong_to_the_month_in_the_centres_time_zone__OPS_14(flow, month):
    """A ticket filled at 00:30 on 1 December in Shanghai is December's, though it is still
    30 November in UTC; one filled at 00:30 on 1 November is November's, not October's."""
    team = f"team-{flow.w.team.pk}"
    assert counts(rows_of(flow, "2026-12")[team]) == (1, 0, 0, 0, 0, 0)
    assert counts(rows_of(flow, "2026-10")["total"]) == (0, 0, 0, 0, 0, 0)
    default = flow.as_("head_a").get(f"{BASE}/tickets/statistics")  # no month: this month
    assert default.status_code == 200 and default.json()["month"] == "2026-11"


def test_statistics_page_shows_the_rows_and_prints_each_month__OPS_14(flow, month, web):
    client = web(flow.p["head_a"])
    assert "/c/alpha/ops/statistics/" in client.get("/c/alpha/ops/").content.decode()
    page = client.get("/c/alpha/ops/statistics/?month=2026-11")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="statistics"' in html
    for shown in ("50.0%", "100.0%", "66.7%", "—", "一队", "二队", "阿尔法监控中心"):
        assert shown in html, shown
    assert f"/c/alpha/ops/tickets/month.pdf?month=2026-11&amp;team={flow.w.team.pk}" in html
    assert "/c/alpha/ops/tickets/month.pdf?month=2026-11&amp;team=centre" in html


@pytest.mark.parametrize("bad", ["2026-00", "11-2026", "2026/11", "x" * 19])
def test_statistics_of_a_bad_month_answer_422__OPS_14(november, flow, web, bad):
    r = flow.as_("head_a").get(f"{BASE}/tickets/statistics?month={bad}")
    assert r.status_code == 422 and "month" in r.json()["fields"]
    page = web(flow.p["head_a"]).get(f"/c/alpha/ops/statistics/?month={bad}")
    assert page.status_code == 422
    assert zh("Give the month as YYYY-MM, e.g. 2026-11.") in page.content.decode()


def test_statistics_of_another_centre_are_not_found__ORG_3(flow, month, web):
    outsider = flow.p["admin_b"]
    assert flow.api(outsider).get(f"{BASE}/tickets/statistics").status_code == 404
    assert web(outsider).get("/c/alpha/ops/statistics/").status_code == 404
