"""The people's side of alarms, through the gateway API, the alarm API and the pages: one open
alarm per key with its count (INC-1), class and priority (INC-11), acknowledging, shelving and
suppression (INC-2), the flood banner and grouping by site (INC-3), scope (ORG-3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from zhiban.alarms import services as alarms
from zhiban.alarms.models import Alarm, AlarmEvent
from zhiban.alarms.tasks import shelved_alarms_every_minute
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role

from ..conftest import make_person
from ..duty.conftest import clock, shifts  # noqa: F401 (a morning shift handing over)
from ..duty.test_handover import prepare
from ..ops.conftest import grid  # noqa: F401 (the station's breaker 751, capacitor C1, S2)
from ..work.worktools import Work

BASE = "/centres/alpha"
CONSOLE = "/c/alpha/alarms/"
SERIAL = count(1)


def zh(text: str) -> str:
    """A msgid as the zh-Hans reader sees it (holds before and after the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(text)


def iso(dt) -> str:
    return timezone.localtime(dt).isoformat()


def event(signal: str, klass: str = "abnormal", **extra) -> dict:
    """One event of alpha's SCADA, by default at site S1 now with a new id."""
    return {
        "source": "alpha-scada",
        "id": f"ev-{next(SERIAL):06d}",
        "at": iso(timezone.now()),
        "site": "S1",
        "signal": signal,
        "class": klass,
        **extra,
    }


class Gateway:
    """Sends events as the gateway account through ``POST /api/events``."""

    def __init__(self, world, api):
        alarms.alarm_source_create(
            actor=CLI,
            source=Source.CLI,
            centre=world.alpha,
            data={"code": "alpha-scada", "name": "阿尔法监控系统", "kind": "scada", "active": True},
        )
        self.client = api(make_person(world.alpha, "gateway_a", Role.GATEWAY))

    def post(self, *events) -> dict:
        r = self.client.post("/events", list(events))
        assert r.status_code == 200, r.content
        return r.json()

    def send(self, *events) -> dict:
        body = self.post(*events)
        assert body["accepted"] == len(events), body
        return body


@pytest.fixture
def gateway(world, api) -> Gateway:
    return Gateway(world, api)


def listed(api, person, query: str = "") -> list[dict]:
    r = api(person).get(f"{BASE}/alarms{query}")
    assert r.status_code == 200, r.content
    return r.json()["items"]


def one(api, person, signal: str, query: str = "") -> dict:
    found = [a for a in listed(api, person, query) if a["signal"] == signal]
    assert len(found) == 1, found
    return found[0]


# --- INC-1, INC-11 ------------------------------------------------------------------------------


def test_one_open_alarm_per_key_counts_occurrences_and_answers_each_item__INC_1(
    world, api, gateway
):
    first = event("10kV母线接地", value="3U0=45V")
    again = event("10kV母线接地", value="3U0=52V")
    body = gateway.post(first, again, first, {"source": "alpha-scada", "id": "x"})
    assert [i["status"] for i in body["items"]] == ["accepted", "accepted", "duplicate", "rejected"]
    assert "at" in body["items"][3]["reason"]
    assert gateway.post(first)["duplicate"] == 1  # replayed later: stored once, not counted
    gateway.send(event("10kV母线接地"))
    alarm = one(api, world.people["deputy_a"], "10kV母线接地")
    assert alarm["count"] == 3 and alarm["state"] == "unacked" and alarm["active"]
    assert alarm["site_name"] == "一号变" and alarm["source"] == "alpha-scada"
    detail = api(world.people["deputy_a"]).get(f"{BASE}/alarms/{alarm['id']}").json()
    assert len(detail["events"]) == 3
    assert {e["value"] for e in detail["events"]} == {"3U0=45V", "3U0=52V", ""}


def test_class_sets_priority_and_the_list_is_most_urgent_first__INC_11(world, api, gateway):
    classes = ["info", "limit", "accident", "change", "abnormal"]
    gateway.send(*[event(f"信号{klass}", klass) for klass in classes])
    shown = listed(api, world.people["deputy_a"])
    assert [a["klass"] for a in shown] == ["accident", "abnormal", "limit", "change", "info"]
    assert [a["priority"] for a in shown] == [1, 2, 3, 4, 5]
    only = listed(api, world.people["deputy_a"], "?klass=limit")
    assert [a["signal"] for a in only] == ["信号limit"]
    page = api(world.people["deputy_a"]).get(f"{BASE}/alarms?limit=2").json()
    assert len(page["items"]) == 2 and page["more"] is True and page["count"] is None


def test_a_raise_with_a_new_class_moves_the_alarm_up__INC_11(world, api, gateway):
    gateway.send(event("主变油温", "limit"), event("电容器不平衡", "abnormal"))
    gateway.send(event("主变油温", "accident"))
    shown = listed(api, world.people["deputy_a"])
    assert [(a["signal"], a["priority"]) for a in shown] == [("主变油温", 1), ("电容器不平衡", 2)]


def test_console_page_shows_the_open_alarms_with_class_site_and_counts__INC_1_INC_11(
    world, web, gateway
):
    gateway.send(event("直流系统接地", "abnormal", value="-80V"), event("开关变位", "change"))
    gateway.send(event("直流系统接地", "abnormal", value="-110V"))  # the latest value shows
    page = web(world.people["deputy_a"]).get(CONSOLE)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="alarm-row"') == 2
    assert html.index("直流系统接地") < html.index("开关变位")  # priority order
    assert "一号变" in html and "-110V" in html and "×2" in html
    assert 'data-klass="abnormal"' in html and 'data-testid="ack"' in html
    assert 'data-testid="key-legend"' in html and "zhiban/alarms.js" in html
    # the live refresh asks for the list alone
    fragment = web(world.people["deputy_a"]).get(CONSOLE, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert text.lstrip().startswith('<div id="alarm-list"') and "<html" not in text


# --- INC-2: acknowledging -----------------------------------------------------------------------


def test_acknowledging_records_who_and_when__INC_2(world, api, web, gateway):
    gateway.send(event("控制回路断线"))
    alarm = one(api, world.people["deputy_a"], "控制回路断线")
    r = api(world.people["deputy_a"]).post(f"{BASE}/alarms/{alarm['id']}/ack")
    assert r.status_code == 200, r.content
    acked = r.json()
    assert acked["state"] == "acked" and acked["acked_by_id"] == world.people["deputy_a"].pk
    assert acked["acked_at"] and acked["acked_by_name"] == "Deputy_A"
    assert acked["version"] == alarm["version"] + 1
    html = web(world.people["chief_a"]).get(CONSOLE).content.decode()
    assert "Deputy_A" in html
    detail = web(world.people["chief_a"]).get(f"/c/alpha/alarms/{alarm['id']}/").content.decode()
    assert 'data-testid="timeline"' in detail and "alarm.ack" in detail


def test_a_second_acknowledgement_is_refused_naming_who_did_it__INC_2(world, api, gateway):
    gateway.send(event("保护装置异常"))
    alarm = one(api, world.people["deputy_a"], "保护装置异常")
    assert api(world.people["deputy_a"]).post(f"{BASE}/alarms/{alarm['id']}/ack").status_code == 200
    r = api(world.people["chief_a"]).post(f"{BASE}/alarms/{alarm['id']}/ack")
    assert r.status_code == 409
    assert r.json()["rule"] == "INC-2" and "Deputy_A" in r.json()["message"]


def test_field_operators_may_not_acknowledge__INC_2(world, api, gateway):
    gateway.send(event("保护装置异常"))
    alarm = one(api, world.people["field_a"], "保护装置异常")
    assert api(world.people["field_a"]).post(f"{BASE}/alarms/{alarm['id']}/ack").status_code == 403


def test_cleared_unacknowledged_then_acknowledged_is_cleared__INC_2(world, api, gateway):
    gateway.send(event("通信中断", "accident"))
    gateway.send(event("通信中断", "accident", action="clear"))
    alarm = one(api, world.people["deputy_a"], "通信中断")
    assert alarm["state"] == "cleared_unacked" and not alarm["active"]
    r = api(world.people["deputy_a"]).post(f"{BASE}/alarms/{alarm['id']}/ack")
    assert r.status_code == 200 and r.json()["state"] == "cleared"
    assert listed(api, world.people["deputy_a"]) == []
    assert [a["id"] for a in listed(api, world.people["deputy_a"], "?state=cleared")] == [
        alarm["id"]
    ]
    # the key is free again: a new raise opens a new alarm
    gateway.send(event("通信中断", "accident"))
    again = one(api, world.people["deputy_a"], "通信中断")
    assert again["id"] != alarm["id"] and again["count"] == 1


def test_acknowledge_all_shown_skips_those_already_acknowledged__INC_2(world, api, gateway):
    gateway.send(event("信号一"), event("信号二"), event("信号三"))
    ids = [a["id"] for a in listed(api, world.people["deputy_a"])]
    client = api(world.people["deputy_a"])
    assert client.post(f"{BASE}/alarms/{ids[0]}/ack").status_code == 200
    r = client.post(f"{BASE}/alarms/ack", {"ids": ids})
    assert r.status_code == 200 and r.json() == {"count": 2}
    assert {a["state"] for a in listed(api, world.people["deputy_a"])} == {"acked"}
    assert client.post(f"{BASE}/alarms/ack", {"ids": []}).status_code == 422


def test_acknowledge_all_naming_an_id_not_of_this_centre_is_not_found__ORG_3(
    world, api, web, gateway
):
    """Issue 10 item 11: one id not of the centre refuses the whole list (404 like any foreign
    id) and nothing is acknowledged, through the API and the console."""
    gateway.send(event("信号一"), event("信号二"))
    ids = [a["id"] for a in listed(api, world.people["deputy_a"])]
    client = api(world.people["deputy_a"])
    r = client.post(f"{BASE}/alarms/ack", {"ids": [*ids, max(ids) + 1000]})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert r.json()["rule"] == "ORG-3"
    page = web(world.people["deputy_a"]).post(
        f"{CONSOLE}ack/", {"id": [*ids, max(ids) + 1000]}, headers={"HX-Request": "true"}
    )
    assert page.status_code == 404
    assert {a["state"] for a in listed(api, world.people["deputy_a"])} == {"unacked"}
    assert client.post(f"{BASE}/alarms/ack", {"ids": ids}).json() == {"count": 2}


def test_console_acknowledges_one_and_all_with_htmx_and_without__INC_2(world, web, api, gateway):
    gateway.send(event("信号一"), event("信号二"), event("信号三"))
    ids = [a["id"] for a in listed(api, world.people["deputy_a"])]
    client = web(world.people["deputy_a"])
    htmx = {"HX-Request": "true"}
    r = client.post(f"{CONSOLE}{ids[0]}/ack/", headers=htmx)
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "alarms-changed"
    assert 'data-testid="alarm-done"' in r.content.decode()
    again = web(world.people["chief_a"]).post(f"{CONSOLE}{ids[0]}/ack/", headers=htmx)
    assert again.status_code == 409 and "Deputy_A" in again.content.decode()
    plain = client.post(f"{CONSOLE}{ids[1]}/ack/")
    assert plain.status_code == 302
    rest = client.post(f"{CONSOLE}ack/", {"id": [str(i) for i in ids]}, headers=htmx)
    assert rest.status_code == 200
    assert zh("Alarms acknowledged: %(n)s") % {"n": 1} in rest.content.decode()
    assert {a["state"] for a in listed(api, world.people["deputy_a"])} == {"acked"}


# --- INC-2: shelving ----------------------------------------------------------------------------


def shelve(api, person, alarm, **body):
    return api(person).post(
        f"{BASE}/alarms/{alarm['id']}/shelve", {"version": alarm["version"], **body}
    )


def test_shelving_needs_a_reason_and_an_expiry_within_the_maximum__INC_2(world, api, gateway):
    gateway.send(event("电压越上限", "limit"))
    chief = world.people["chief_a"]
    alarm = one(api, chief, "电压越上限")
    soon = iso(timezone.now() + timedelta(hours=2))
    r = shelve(api, chief, alarm)
    assert r.status_code == 422 and {"reason", "until"} <= set(r.json()["fields"])
    past = shelve(
        api, chief, alarm, reason="检修中", until=iso(timezone.now() - timedelta(hours=1))
    )
    assert past.status_code == 422 and "INC-2" in past.json()["fields"]["until"][0]
    far = shelve(
        api, chief, alarm, reason="检修中", until=iso(timezone.now() + timedelta(hours=25))
    )
    assert far.status_code == 422 and "24" in far.json()["fields"]["until"][0]
    assert shelve(api, world.people["deputy_a"], alarm, reason="x", until=soon).status_code == 403
    stale = shelve(api, chief, {**alarm, "version": alarm["version"] + 1}, reason="x", until=soon)
    assert stale.status_code == 409
    r = shelve(api, chief, alarm, reason="电压互感器检修", until=soon)
    assert r.status_code == 200, r.content
    shelved = r.json()
    assert shelved["state"] == "shelved" and shelved["shelve_reason"] == "电压互感器检修"
    assert shelved["shelved_by_id"] == chief.pk and shelved["shelved_until"]
    twice = shelve(api, chief, shelved, reason="x", until=soon)
    assert twice.status_code == 409 and "Chief_A" in twice.json()["message"]
    ack = api(chief).post(f"{BASE}/alarms/{alarm['id']}/ack")
    assert ack.status_code == 409 and ack.json()["rule"] == "INC-2"


def test_the_shelving_maximum_is_a_centre_setting__INC_2(world, api, gateway):
    admin = api(world.people["admin_a"])
    version = admin.get(BASE).json()["version"]
    r = admin.patch(
        f"{BASE}/settings", {"version": version, "values": {"alarms.shelve_max_hours": 48}}
    )
    assert r.status_code == 200, r.content
    gateway.send(event("电压越上限", "limit"))
    alarm = one(api, world.people["chief_a"], "电压越上限")
    until = iso(timezone.now() + timedelta(hours=30))
    assert (
        shelve(api, world.people["chief_a"], alarm, reason="检修", until=until).status_code == 200
    )


def test_shelved_alarms_are_listed_at_the_handover_without_blocking_it__INC_2(
    world,
    api,
    gateway,
    shifts,  # noqa: F811
):
    gateway.send(event("母线电压越限", "limit"))
    alarm = one(api, world.people["chief_a"], "母线电压越限")
    until = timezone.now() + timedelta(hours=3)
    assert (
        shelve(api, world.people["chief_a"], alarm, reason="PT检修", until=iso(until)).status_code
        == 200
    )
    h = prepare(api, shifts.out_chief)
    items = [i for i in h["items"] if i["kind"] == "alarm"]
    assert len(items) == 1 and "母线电压越限" in items[0]["text"] and "一号变" in items[0]["text"]
    assert "PT检修" in items[0]["detail"] and "18:30" in items[0]["detail"]


def test_an_expired_shelf_returns_the_alarm_to_the_console__INC_2(world, api, web, gateway):
    gateway.send(event("主变油温高", "limit"), event("电容器不平衡", "abnormal"))
    chief = world.people["chief_a"]
    until = iso(timezone.now() + timedelta(hours=1))
    for signal in ("主变油温高", "电容器不平衡"):
        assert (
            shelve(api, chief, one(api, chief, signal), reason="观察", until=until).status_code
            == 200
        )
    gateway.send(event("电容器不平衡", "abnormal", action="clear"))  # cleared while shelved
    assert alarms.alarms_unshelve_expired() == 0  # not yet
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        shelved_alarms_every_minute()  # the periodic job
    back = one(api, chief, "主变油温高")
    assert back["state"] == "unacked" and back["shelved_until"] is None
    assert [a["state"] for a in listed(api, chief, "?state=cleared")] == ["cleared"]
    # the trail keeps the scheduler's reason as said, shown in each reader's language (issue 11)
    for language, reason in (("zh-hans", "搁置到期"), ("en", "shelving expired")):
        chief.language = language
        chief.save(update_fields=["language"])
        assert reason in web(chief).get(f"{CONSOLE}{back['id']}/").content.decode()


def test_unshelving_by_hand_and_on_the_detail_page__INC_2(world, api, web, gateway):
    gateway.send(event("主变油温高", "limit"))
    chief = world.people["chief_a"]
    alarm = one(api, chief, "主变油温高")
    client = web(chief)
    page = client.get(f"{CONSOLE}{alarm['id']}/").content.decode()
    assert 'data-testid="shelve"' in page and 'name="until"' in page
    bad = client.post(
        f"{CONSOLE}{alarm['id']}/shelve/", {"version": alarm["version"], "reason": ""}
    )
    assert bad.status_code == 422 and 'data-field="reason"' in bad.content.decode()
    until = timezone.localtime(timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    ok = client.post(
        f"{CONSOLE}{alarm['id']}/shelve/",
        {"version": alarm["version"], "reason": "检修", "until": until},
    )
    assert ok.status_code == 302
    shelved = one(api, chief, "主变油温高")
    assert shelved["state"] == "shelved"
    page = client.get(f"{CONSOLE}{alarm['id']}/").content.decode()
    assert 'data-testid="unshelve"' in page
    r = api(chief).post(f"{BASE}/alarms/{alarm['id']}/unshelve", {"version": shelved["version"]})
    assert r.status_code == 200 and r.json()["state"] == "unacked"
    again = api(chief).post(
        f"{BASE}/alarms/{alarm['id']}/unshelve", {"version": r.json()["version"]}
    )
    assert again.status_code == 409


# --- INC-2: suppression ------------------------------------------------------------------------


def test_alarms_of_equipment_under_a_maintenance_tag_are_suppressed__INC_2(
    world,
    api,
    grid,  # noqa: F811
    gateway,
):
    Work(world, grid, api).permitted()  # the centre tags breaker 751
    gateway.send(event("开关事故跳闸", "accident", equipment="751"), event("保护动作"))
    deputy = world.people["deputy_a"]
    assert [a["signal"] for a in listed(api, deputy)] == ["保护动作"]
    suppressed = one(api, deputy, "开关事故跳闸", "?state=suppressed")
    assert suppressed["equipment_name"] == "苏越线开关 751"
    assert suppressed["suppressed_reason"] == zh("under a maintenance tag (检修)")
    detail = api(deputy).get(f"{BASE}/alarms/{suppressed['id']}").json()
    assert detail["accident_record_ids"] == []  # a trip test under the tag drafts no record


def test_alarms_of_equipment_being_commissioned_are_suppressed__INC_2(
    world,
    api,
    web,
    grid,  # noqa: F811
    gateway,
):
    chief = api(world.people["chief_a"])
    now = timezone.now()
    body = {
        "equipment": grid.capacitor.pk,
        "starts_at": iso(now - timedelta(hours=1)),
        "ends_at": iso(now + timedelta(hours=2)),
        "note": "新投电容器调试",
    }
    backwards = chief.post(f"{BASE}/commissionings", {**body, "ends_at": body["starts_at"]})
    assert backwards.status_code == 422 and "ends_at" in backwards.json()["fields"]
    foreign = chief.post(f"{BASE}/commissionings", {**body, "equipment": 10**9})
    assert foreign.status_code == 422 and "equipment" in foreign.json()["fields"]
    assert api(world.people["field_a"]).post(f"{BASE}/commissionings", body).status_code == 403
    r = chief.post(f"{BASE}/commissionings", body)
    assert r.status_code == 201, r.content
    assert r.json()["recorded_by_id"] == world.people["chief_a"].pk
    gateway.send(event("电容器保护动作", equipment="C1"), event("电容器保护动作", equipment="#1"))
    deputy = world.people["deputy_a"]
    assert [a["equipment_name"] for a in listed(api, deputy)] == ["1号主变 #1"]
    suppressed = one(api, deputy, "电容器保护动作", "?state=suppressed")
    assert suppressed["equipment_name"] == "1号电容器 C1"
    assert suppressed["suppressed_reason"] == zh("being commissioned (调试)")
    page = web(world.people["chief_a"]).get("/c/alpha/alarms/commissioning/").content.decode()
    assert "1号电容器 C1" in page
    patched = chief.patch(
        f"{BASE}/commissionings/{r.json()['id']}",
        {"version": r.json()["version"], "ends_at": iso(now + timedelta(minutes=5))},
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2


# --- INC-3 --------------------------------------------------------------------------------------


def flood_of(gateway, n: int) -> None:
    """``n`` new alarms within the last minutes, at two stations (S2 comes with ``grid``)."""
    now = timezone.now()
    gateway.send(
        *[
            event(
                f"保护装置异常{i:02d}",
                site="S1" if i % 2 else "S2",
                at=iso(now - timedelta(minutes=i % 9)),
            )
            for i in range(n)
        ]
    )


def test_eleven_new_alarms_in_ten_minutes_raise_the_flood_banner_and_group_by_site__INC_3(
    world,
    web,
    grid,  # noqa: F811
    gateway,
):
    flood_of(gateway, 11)
    client = web(world.people["deputy_a"])
    html = client.get(CONSOLE).content.decode()
    assert 'data-testid="banner-alarm-flood"' in html and "11" in html
    assert html.count('data-testid="site-group"') == 2
    assert 'data-testid="flood-grouping"' in html
    assert html.count('data-testid="alarm-row"') == 11  # nothing dropped
    elsewhere = client.get("/c/alpha/").content.decode()
    assert 'data-testid="banner-alarm-flood"' in elsewhere


def test_ten_new_alarms_are_no_flood__INC_3(world, web, grid, gateway):  # noqa: F811
    flood_of(gateway, 10)
    html = web(world.people["deputy_a"]).get(CONSOLE).content.decode()
    assert 'data-testid="banner-alarm-flood"' not in html
    assert 'data-testid="site-group"' not in html
    assert html.count('data-testid="alarm-row"') == 10


# --- pages, scope and the live channel ----------------------------------------------------------


def test_alarm_pages_render_in_chinese_and_english__INC_1(world, web, api, gateway):
    gateway.send(event("开关变位", "change"))
    alarm = one(api, world.people["chief_a"], "开关变位")
    client = web(world.people["chief_a"])
    pages = [
        CONSOLE,
        f"{CONSOLE}{alarm['id']}/",
        "/c/alpha/alarms/sources/",
        "/c/alpha/alarms/commissioning/",
        "/c/alpha/alarms/commissioning/new/",
        "/c/alpha/",
    ]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200 and 'lang="zh-Hans"' in r.content.decode(), url
    console = client.get(CONSOLE).content.decode()
    assert zh("Alarm console") in console and 'data-testid="console-alarms"' not in console
    home = client.get("/c/alpha/").content.decode()
    assert 'data-testid="console-alarms"' in home and f"{CONSOLE}{alarm['id']}/" in home
    client.post("/language/", {"language": "en"})
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200 and 'lang="en"' in r.content.decode(), url
    assert "Alarm console" in client.get(CONSOLE).content.decode()


def test_alarm_sources_are_managed_through_api_and_pages__INC_1(world, api, web):
    admin = api(world.people["admin_a"])
    body = {"code": "alpha-fire", "name": "火灾报警控制器", "kind": "fire", "active": True}
    r = admin.post(f"{BASE}/alarm-sources", body)
    assert r.status_code == 201, r.content
    assert admin.post(f"{BASE}/alarm-sources", body).status_code == 422  # the code is taken
    assert api(world.people["deputy_a"]).post(f"{BASE}/alarm-sources", body).status_code == 403
    off = admin.patch(
        f"{BASE}/alarm-sources/{r.json()['id']}", {"version": r.json()["version"], "active": False}
    )
    assert off.status_code == 200 and off.json()["active"] is False
    page = web(world.people["admin_a"]).get("/c/alpha/alarms/sources/").content.decode()
    assert "火灾报警控制器" in page


def test_alarms_of_another_centre_are_not_found__ORG_3(world, api, web, gateway):
    gateway.send(event("开关变位", "change"))
    alarm = one(api, world.people["chief_a"], "开关变位")
    stranger = world.people["guard_b"]
    assert api(stranger).get(f"{BASE}/alarms").status_code == 404
    assert api(stranger).get(f"/centres/beta/alarms/{alarm['id']}").status_code == 404
    assert api(stranger).post(f"/centres/beta/alarms/{alarm['id']}/ack").status_code == 404
    foreign = api(stranger).post("/centres/beta/alarms/ack", {"ids": [alarm["id"]]})
    assert foreign.status_code == 404 and foreign.json()["rule"] == "ORG-3"
    assert web(stranger).get(f"{CONSOLE}{alarm['id']}/").status_code == 404
    assert web(stranger).get(f"/c/beta/alarms/{alarm['id']}/").status_code == 404
    assert listed(api, world.people["chief_a"])[0]["state"] == "unacked"


@pytest.mark.django_db(transaction=True)
def test_an_ingest_pushes_an_alarms_event_to_an_open_console__INC_1():
    import asyncio

    from channels.db import database_sync_to_async
    from django.db import connection

    from zhiban.alarms.events import parse
    from zhiban.org import services as org

    from ..core.test_live import connect, session_cookie

    centre = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "livealarm",
            "name": "L",
            "kind": "power",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"code": "S1", "name": "站", "kind": "substation", "active": True},
    )
    alarms.alarm_source_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"code": "alpha-scada", "name": "SCADA", "kind": "scada", "active": True},
    )
    operator = make_person(centre, "operator", Role.DEPUTY_OPERATOR)
    gateway = make_person(centre, "gw", Role.GATEWAY)
    cookie = session_cookie(operator)

    async def scenario():
        socket = connect(cookie)
        assert (await socket.connect())[0]
        await socket.receive_json_from(timeout=5)  # the unread count
        await database_sync_to_async(alarms.events_ingest)(
            actor=gateway,
            source=Source.GATEWAY,
            items=[parse(event("开关事故跳闸", "accident"))],
        )
        pushed = await socket.receive_json_from(timeout=5)
        assert pushed["kind"] == "alarms" and pushed["new"][0]["klass"] == "accident"
        alarm_id = pushed["new"][0]["id"]
        await database_sync_to_async(alarms.alarm_ack)(
            actor=operator, source=Source.WEB, alarm_id=alarm_id
        )
        assert await socket.receive_json_from(timeout=5) == {
            "kind": "alarms",
            "new": [],
            "changed": [alarm_id],
        }
        await socket.disconnect()
        await database_sync_to_async(lambda: connection.close())()

    asyncio.run(scenario())


def test_an_alarm_with_a_far_stored_time_is_still_shown__ORG_4(world, web, api, gateway):
    """DESIGN rule 5: an alarm whose times were stored before the window existed (a raw
    update here, past the gateway's check) still shows on the console, its page and the
    centre's home; a time the centre's zone cannot hold is shown as stored (UTC)."""
    gateway.send(event("母线失压"))
    alarm = one(api, world.people["chief_a"], "母线失压")
    far = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    Alarm.objects.filter(pk=alarm["id"]).update(
        first_at=far, last_at=far, cleared_at=far, acked_at=far, shelved_until=far
    )
    AlarmEvent.objects.update(occurred_at=far, received_at=far)
    client = web(world.people["chief_a"])
    for url in (CONSOLE, f"{CONSOLE}{alarm['id']}/", "/c/alpha/"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "12-31 23:59" in r.content.decode(), url
    assert api(world.people["chief_a"]).get(f"{BASE}/alarms").status_code == 200
