"""Operation counters (CNT-1, CNT-2): gateway state changes count capacitor switchings and tap
changes, the team keeps the limits (not the centre, not below the count), the centre enters
month-end figures, reaching the limit (满次) notifies the centre and the team and offers the
defect, the team resets after maintenance. Through the API and the pages."""

from __future__ import annotations

import pytest

from zhiban.alarms import services as alarms
from zhiban.core.actors import CLI, Source
from zhiban.core.models import Notification
from zhiban.core.permissions import Role
from zhiban.upkeep.models import CounterMonth, OperationCounter

from ..clock import ago
from ..conftest import make_person

BASE = "/centres/alpha/upkeep/counters"


def counters(client, query: str = "") -> list[dict]:
    r = client.get(f"{BASE}{query}")
    assert r.status_code == 200, r.content
    return r.json()["items"]


def opened(api, upkeep, who="leader_a", item="capacitor", kind="switching", limit=None) -> dict:
    body = {"equipment": upkeep.equipment[item].pk, "kind": kind}
    if limit is not None:
        body["limit"] = limit
    r = api(upkeep.world.people[who]).post(BASE, body)
    assert r.status_code == 201, r.content
    return r.json()


def enter(api, upkeep, counter: dict, month: str, count: int, who="chief_a"):
    return api(upkeep.world.people[who]).post(
        f"{BASE}/{counter['id']}/months",
        {"version": counter["version"], "month": month, "count": count},
    )


def change(event_id: str, equipment: str, value: str = "合") -> dict:
    return {
        "source": "alpha-scada",
        "id": event_id,
        "at": ago(minutes=5),
        "site": "S1",
        "equipment": equipment,
        "signal": "变位",
        "class": "change",
        "value": value,
    }


def test_gateway_change_events_count_switchings_and_tap_changes__CNT_1(upkeep, api, fixed_clock):
    """A state change (变位) of a capacitor adds a switching, of a tap changer a tap change;
    a breaker's state change counts nothing (its trips count, INC-5); a replay counts once."""
    world = upkeep.world
    alarms.alarm_source_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "alpha-scada", "name": "阿尔法监控系统", "kind": "scada", "active": True},
    )
    gateway = api(make_person(world.alpha, "gateway_a", Role.GATEWAY))
    events = [
        change("e1", "C1"),
        change("e2", "C1", "分"),
        change("e3", "T1", "5档"),
        change("e4", "751", "分"),
    ]
    r = gateway.post("/events", events)
    assert r.status_code == 200 and r.json()["accepted"] == 4, r.content
    assert gateway.post("/events", events[:1]).json()["duplicate"] == 1
    rows = {(c["equipment_id"], c["kind"]): c for c in counters(api(world.people["chief_a"]))}
    assert rows[(upkeep.equipment["capacitor"].pk, "switching")]["count"] == 2
    assert rows[(upkeep.equipment["tap"].pk, "tap")]["count"] == 1
    assert not any(e == upkeep.equipment["breaker"].pk for e, _k in rows)
    month = CounterMonth.objects.get(counter__equipment=upkeep.equipment["capacitor"])
    assert month.counted == 2 and month.month.isoformat() == "2026-11-01"


def test_the_centre_may_not_keep_a_limit__CNT_1(upkeep, api, fixed_clock):
    counter = opened(api, upkeep, who="chief_a")
    r = api(upkeep.world.people["chief_a"]).post(
        f"{BASE}/{counter['id']}/limit", {"version": counter["version"], "limit": 100}
    )
    assert r.status_code == 403 and r.json()["rule"] == "CNT-1", r.content
    assert "CNT-1" in r.json()["message"]
    # nor with the counter: a limit given when opening is the team's too
    r = api(upkeep.world.people["deputy_a"]).post(
        BASE, {"equipment": upkeep.equipment["tap"].pk, "kind": "tap", "limit": 5}
    )
    assert r.status_code == 403 and r.json()["rule"] == "CNT-1"
    assert OperationCounter.objects.get(pk=counter["id"]).limit is None


def test_a_team_not_serving_the_station_may_not_keep_its_limits__CNT_1(upkeep, api, fixed_clock):
    world = upkeep.world
    counter = opened(api, upkeep, who="chief_a", item="breaker", kind="trip")
    from zhiban.org import services as org

    other = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"name": "二队", "kind": "operation", "active": True},
    )
    stranger = make_person(world.alpha, "leader_b2", Role.TEAM_LEADER, other)
    r = api(stranger).post(f"{BASE}/{counter['id']}/limit", {"version": 1, "limit": 100})
    assert r.status_code == 403 and r.json()["rule"] == "CNT-1"


def test_a_limit_below_the_count_is_refused__CNT_2(upkeep, api, fixed_clock):
    counter = opened(api, upkeep)
    r = enter(api, upkeep, counter, "2026-10", 50)
    assert r.status_code == 200, r.content
    counter = r.json()
    assert counter["count"] == 50
    leader = api(upkeep.world.people["leader_a"])
    r = leader.post(f"{BASE}/{counter['id']}/limit", {"version": counter["version"], "limit": 40})
    assert r.status_code == 409 and r.json()["rule"] == "CNT-2", r.content
    assert "CNT-2" in r.json()["message"]
    r = leader.post(f"{BASE}/{counter['id']}/limit", {"version": counter["version"], "limit": 400})
    assert r.status_code == 200 and r.json()["limit"] == 400 and r.json()["percent"] == 12


def test_a_stale_version_is_a_conflict__CNT_1(upkeep, api, fixed_clock):
    counter = opened(api, upkeep, limit=100)
    assert enter(api, upkeep, counter, "2026-10", 5).status_code == 200
    r = api(upkeep.world.people["field_a"]).post(
        f"{BASE}/{counter['id']}/limit", {"version": counter["version"], "limit": 200}
    )
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    r = enter(api, upkeep, counter, "2026-09", 5)  # the version read before the first entry
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    r = api(upkeep.world.people["chief_a"]).post(
        f"{BASE}/{counter['id']}/months", {"month": "2026-09", "count": 5}
    )
    assert r.status_code == 422 and r.json()["rule"] == "DESIGN-1"


def test_a_month_end_figure_replaces_what_the_alarms_counted__CNT_1(upkeep, api, fixed_clock):
    counter = opened(api, upkeep)
    OperationCounter.objects.filter(pk=counter["id"]).update(count=3)
    CounterMonth.objects.create(counter_id=counter["id"], month="2026-11-01", counted=3)
    counter = api(upkeep.world.people["chief_a"]).get(f"{BASE}/{counter['id']}").json()
    r = enter(api, upkeep, counter, "2026-11", 7)
    assert r.status_code == 200 and r.json()["count"] == 7  # moved by 7 - 3
    [month] = r.json()["months"]
    assert (month["counted"], month["entered"], month["figure"]) == (3, 7, 7)
    r = enter(api, upkeep, r.json(), "2026-11", 6)
    assert r.json()["count"] == 6
    # the team does not enter figures; a month not begun is bad input
    assert enter(api, upkeep, r.json(), "2026-10", 1, who="leader_a").status_code == 403
    bad = enter(api, upkeep, r.json(), "2027-01", 1)
    assert bad.status_code == 422 and "month" in bad.json()["fields"]


def test_reaching_the_limit_tells_the_centre_and_the_team_once__CNT_2(
    upkeep, api, web, fixed_clock
):
    world = upkeep.world
    counter = opened(api, upkeep, limit=10)
    before = set(Notification.objects.values_list("id", flat=True))
    r = enter(api, upkeep, counter, "2026-11", 10)
    assert r.status_code == 200 and r.json()["full_at"], r.content
    notes = Notification.objects.exclude(id__in=before)
    told = {n.recipient.username for n in notes}
    assert told == {"chief_a", "deputy_a", "leader_a", "field_a"}
    link = f"/c/alpha/upkeep/counters/{counter['id']}/"
    assert {n.link for n in notes} == {link}
    assert all("CNT-2" in n.title for n in notes)
    # once: a further figure while full tells nobody again
    assert enter(api, upkeep, r.json(), "2026-10", 2).status_code == 200
    assert Notification.objects.exclude(id__in=before).count() == 4
    # the counter page offers the defect, prefilled
    page = web(world.people["leader_a"]).get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="report-defect"' in html and 'data-testid="badge-full"' in html
    assert "/c/alpha/upkeep/defects/new/?" in html
    assert "kind=counter_full" in html and "origin=counter" in html
    assert f"origin_id={counter['id']}" in html
    assert f"equipment={upkeep.equipment['capacitor'].pk}" in html
    # the upkeep home lists it
    home = web(world.people["chief_a"]).get("/c/alpha/upkeep/").content.decode()
    assert 'data-testid="home-counter"' in home


def test_a_trip_at_the_limit_is_full_too__CNT_2(upkeep, api, fixed_clock):
    from django.utils import timezone

    from zhiban.upkeep import services

    counter = opened(api, upkeep, item="breaker", kind="trip", limit=1)
    services.counter_add(
        actor=CLI,
        source=Source.CLI,
        equipment=upkeep.equipment["breaker"],
        kind="trip",
        at=timezone.now(),
    )
    assert OperationCounter.objects.get(pk=counter["id"]).full_at is not None
    assert Notification.objects.filter(recipient=upkeep.world.people["field_a"]).exists()


def test_the_team_resets_after_maintenance_with_a_reason__CNT_2(upkeep, api, fixed_clock):
    counter = opened(api, upkeep, limit=10)
    counter = enter(api, upkeep, counter, "2026-11", 12).json()
    leader = api(upkeep.world.people["leader_a"])
    url = f"{BASE}/{counter['id']}/reset"
    r = leader.post(url, {"version": counter["version"], "reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    r = api(upkeep.world.people["chief_a"]).post(
        url, {"version": counter["version"], "reason": "检修"}
    )
    assert r.status_code == 403 and r.json()["rule"] == "CNT-1"
    r = leader.post(url, {"version": counter["version"], "reason": "2026-11-28 检修完毕"})
    assert r.status_code == 200, r.content
    assert (r.json()["count"], r.json()["full_at"]) == (0, None)


def test_reset_waits_for_the_defect_to_be_eliminated__CNT_2(upkeep, api, fixed_clock):
    from zhiban.upkeep import services

    counter = opened(api, upkeep, limit=10)
    counter = enter(api, upkeep, counter, "2026-11", 10).json()
    defect = services.defect_report(
        actor=upkeep.world.people["field_a"],
        source=Source.WEB,
        centre=upkeep.world.alpha,
        data={
            "grade": "general",
            "kind": "counter_full",
            "site": upkeep.sites["station"].pk,
            "equipment": upkeep.equipment["capacitor"].pk,
            "phenomenon": "满次",
        },
    )
    OperationCounter.objects.filter(pk=counter["id"]).update(defect=defect)
    r = api(upkeep.world.people["leader_a"]).post(
        f"{BASE}/{counter['id']}/reset", {"version": counter["version"], "reason": "检修"}
    )
    assert r.status_code == 409 and r.json()["rule"] == "CNT-2"


def test_another_centre_reads_no_counter__CNT_1(upkeep, api, web, fixed_clock):
    counter = opened(api, upkeep)
    outsider = upkeep.world.people["admin_b"]
    assert api(outsider).get(f"{BASE}/{counter['id']}").status_code == 404
    assert api(outsider).get(BASE).status_code == 404
    assert web(outsider).get(f"/c/alpha/upkeep/counters/{counter['id']}/").status_code == 404
    r = api(outsider).post(f"{BASE}/{counter['id']}/limit", {"version": 1, "limit": 5})
    assert r.status_code == 404


def test_the_pages_keep_limits_and_enter_figures__CNT_1(upkeep, api, web, fixed_clock):
    counter = opened(api, upkeep)
    url = f"/c/alpha/upkeep/counters/{counter['id']}/"
    chief, leader = web(upkeep.world.people["chief_a"]), web(upkeep.world.people["leader_a"])
    page = chief.get(url).content.decode()
    assert 'data-testid="month-form"' in page and 'data-testid="limit-form"' not in page
    r = chief.post(f"{url}month/", {"version": counter["version"], "month": "2026-11", "count": 9})
    assert r.status_code == 302
    page = leader.get(url).content.decode()
    assert 'data-testid="limit-form"' in page and 'data-testid="month-form"' not in page
    r = leader.post(f"{url}limit/", {"version": counter["version"] + 1, "limit": 5})
    assert r.status_code == 409 and "CNT-2" in r.content.decode()
    r = leader.post(f"{url}limit/", {"version": counter["version"] + 1, "limit": 10})
    assert r.status_code == 302
    listing = chief.get("/c/alpha/upkeep/counters/?state=near").content.decode()
    assert 'data-testid="badge-near"' in listing and "1号电容器 C1" in listing
    assert (
        chief.get("/c/alpha/upkeep/counters/?state=full")
        .content.decode()
        .count('data-testid="counter-row"')
        == 0
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_counter_pages_answer_in_both_languages__CNT_1(upkeep, api, web, fixed_clock, language):
    counter = opened(api, upkeep, limit=10)
    client = web(upkeep.world.people["leader_a"])
    headers = {"Accept-Language": language}
    for path in (
        "/c/alpha/upkeep/counters/",
        f"/c/alpha/upkeep/counters/{counter['id']}/",
        "/c/alpha/upkeep/counters/statistics/",
        "/c/alpha/upkeep/",
    ):
        assert client.get(path, headers=headers).status_code == 200, path


def test_the_demo_has_counters_near_and_at_their_limits_once__CNT_2(db, web):
    from zhiban.org import demo as org_demo
    from zhiban.upkeep.demo import counters as demo

    ctx: dict = {}
    org_demo.load(ctx)
    demo.load(ctx)
    rows = OperationCounter.objects.filter(equipment__centre__code="suwu")
    full = [c for c in rows if c.full_at]
    near = [c for c in rows if c.limit and c.count < c.limit and c.count * 10 >= c.limit * 9]
    assert full and near
    assert all(c.months.filter(entered__isnull=False).count() == 6 for c in rows)
    before = list(rows.values_list("id", "count", "limit", "version"))
    demo.load(ctx)
    assert list(rows.values_list("id", "count", "limit", "version")) == before
    assert Notification.objects.filter(
        recipient__username="zhaogang", link__contains="counters"
    ).exists()
    page = web(ctx["people"]["zhangwei"]).get("/c/suwu/upkeep/counters/?state=full")
    assert page.content.decode().count('data-testid="counter-row"') == len(full)


def test_a_counter_opened_on_its_page_shows_its_timeline__CNT_1(upkeep, web, fixed_clock):
    leader = web(upkeep.world.people["leader_a"])
    r = leader.post(
        "/c/alpha/upkeep/counters/open/",
        {"equipment": upkeep.equipment["tap"].pk, "kind": "trip", "limit": 10},
    )
    assert r.status_code == 422 and "CNT-1" in r.content.decode()  # a tap changer never trips
    r = leader.post(
        "/c/alpha/upkeep/counters/open/",
        {"equipment": upkeep.equipment["tap"].pk, "kind": "tap", "limit": 10},
    )
    assert r.status_code == 302
    page = leader.get(r["Location"]).content.decode()
    assert 'data-testid="timeline"' in page and "counter.open" in page
    listing = leader.get(
        f"/c/alpha/upkeep/counters/?site={upkeep.sites['station'].pk}&kind=tap"
    ).content.decode()
    assert listing.count('data-testid="counter-row"') == 1
    assert leader.get("/c/alpha/upkeep/counters/?kind=nonsense").status_code == 422


def test_the_offered_defect_holds_the_reset_until_eliminated__CNT_2(upkeep, api, web, fixed_clock):
    """The page's offer opens the defect report prefilled; reported, the counter names it, the
    offer goes, and the team's reset waits for the elimination."""
    from urllib.parse import parse_qsl, urlsplit

    counter = opened(api, upkeep, limit=10)
    counter = enter(api, upkeep, counter, "2026-11", 10).json()
    field = web(upkeep.world.people["field_a"])
    url = f"/c/alpha/upkeep/counters/{counter['id']}/"
    html = field.get(url).content.decode()
    offer = html.split('data-testid="report-defect"')[0].rsplit('href="', 1)[1].split('"')[0]
    offer = offer.replace("&amp;", "&")
    form = field.get(offer)
    assert form.status_code == 200
    query = dict(parse_qsl(urlsplit(offer).query))
    r = field.post(offer, {**query, "affects_monitoring": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    stored = OperationCounter.objects.get(pk=counter["id"])
    assert stored.defect is not None and stored.defect.kind == "counter_full"
    html = field.get(url).content.decode()
    assert 'data-testid="report-defect"' not in html and stored.defect.number in html
    r = field.post(f"{url}reset/", {"version": stored.version, "reason": "检修"})
    assert r.status_code == 409 and "CNT-2" in r.content.decode()
