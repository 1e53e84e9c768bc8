"""Dashboards (RPT-4): the console's figures of today and this month are the apps' period
figures, drawn as charts beside a table, refreshed live; a person with several centres sees
them side by side, and only those centres."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org
from zhiban.org.models import Person
from zhiban.reports.figures import app_figures

from ..conftest import make_person

ROW = re.compile(r'<tr data-figure="([^"]+)">.*?data-today="([^"]*)".*?data-month="([^"]*)"', re.S)


def rows(html: str) -> list[tuple[str, str, str]]:
    return ROW.findall(html)


def expected(centre) -> list[tuple[str, str, str]]:
    """The centre's figures over today and this month, in its zone, as the page writes them."""
    now = timezone.localtime(timezone.now(), centre.tz)
    day = datetime(now.year, now.month, now.day, tzinfo=centre.tz)
    month = datetime(now.year, now.month, 1, tzinfo=centre.tz)
    after = (month.replace(tzinfo=None) + timedelta(days=32)).replace(day=1, tzinfo=centre.tz)
    todays = app_figures(centre, day, day + timedelta(days=1))
    months = app_figures(centre, month, after)
    out = []
    for (_t, figures), (_m, month_figures) in zip(todays, months, strict=True):
        of_month = {f.key: f.value for f in month_figures}
        out += [(f.key, str(f.value), str(of_month[f.key])) for f in figures]
    return out


def log(api, person, code: str, category: str, text: str):
    done = api(person).post(f"/centres/{code}/log", {"category": category, "text": text})
    assert done.status_code == 201, done.content


@pytest.fixture
def manager(world):
    """Beta's manager, who is also a chief operator in alpha (lijun in the demo)."""
    person = make_person(world.beta, "manager_ab", Role.MANAGER)
    org.membership_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"person": person.pk, "role": Role.CHIEF_OPERATOR, "active": True},
    )
    return Person.objects.get(pk=person.pk)


def test_console_panel_shows_the_period_figures_of_today_and_this_month__RPT_4(
    world, api, web, fixed_clock
):
    chief = world.people["chief_a"]
    log(api, chief, "alpha", "grounding", "一号变10kV母线接地，已选线")
    log(api, chief, "alpha", "grounding", "接地已消除")
    log(api, world.people["admin_b"], "beta", "other", "贝塔的记录不计入阿尔法")
    page = web(chief).get("/c/alpha/").content.decode()
    assert 'data-testid="console-figures"' in page
    shown = rows(page)
    assert shown == expected(world.alpha)
    by_key = {key: (today, month) for key, today, month in shown}
    assert by_key["log_entries"][0] == "2" and by_key["log_grounding"] == ("2", "2")
    # drawn as charts, refreshed every minute and on live changes
    assert 'data-testid="chart-dash-alpha-0-n"' in page
    assert 'hx-trigger="every 60s, zhiban:live from:document throttle:15s"' in page
    # the live refresh of the panel answers the same numbers
    part = web(chief).get("/c/alpha/panel/figures/")
    assert part.status_code == 200 and rows(part.content.decode()) == shown


def test_each_centre_kind_sees_its_own_sections__RPT_4(world, web, fixed_clock):
    power = web(world.people["chief_a"]).get("/c/alpha/").content.decode()
    security = web(world.people["admin_b"]).get("/c/beta/").content.decode()
    assert "操作票" in power or "Tickets" in power
    titles = re.findall(r'<h4 class="mb-2">([^<]+)</h4>', security)
    assert titles and not any("票" in t for t in titles)  # a security room keeps no tickets
    assert rows(security) == expected(world.beta)


def test_one_centre_only_on_the_side_by_side_page__RPT_4(world, web, fixed_clock):
    page = web(world.people["chief_a"]).get("/reports/centres/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.findall(r'data-centre="([^"]+)"', html) == ["alpha"]
    assert "贝塔监控室" not in html


def test_manager_sees_both_centres_side_by_side_and_no_leak__RPT_4(
    world, api, web, manager, fixed_clock
):
    log(api, world.people["admin_b"], "beta", "other", "贝塔的一条记录")
    client = web(manager)
    html = client.get("/reports/centres/").content.decode()
    parts = re.split(r'data-testid="centre-column"', html)[1:]
    columns = {re.search(r'data-centre="([^"]+)"', c)[1]: c for c in parts}
    assert len(parts) == 2 and set(columns) == {"alpha", "beta"}
    alpha, beta = ({k: (t, m) for k, t, m in rows(columns[c])} for c in ("alpha", "beta"))
    assert alpha["log_entries"] == ("0", "0") and beta["log_entries"] == ("1", "1")
    assert rows(columns["alpha"]) == expected(world.alpha)
    assert rows(columns["beta"]) == expected(world.beta)
    # the live refresh returns the columns only
    part = client.get("/reports/centres/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and part.count('data-testid="centre-column"') == 2
    assert 'data-testid="centres-side-by-side-link"' in client.get("/c/alpha/").content.decode()


def test_side_by_side_needs_a_login__RPT_4(client, world):
    page = client.get("/reports/centres/")
    assert page.status_code == 302 and "/login" in page["Location"]
