"""The duty log (DUTY-6 … DUTY-8); the centre's own patrol (PAT-5) is a patrol plan
(tests/patrols/test_centre_patrol.py)."""

import asyncio
import io

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from openpyxl import load_workbook

from zhiban.core.actors import CLI, SCHEDULER, Source
from zhiban.duty import services
from zhiban.duty.models import LogEntry
from zhiban.org import services as org

BASE = "/centres/alpha/log"


def write(client, text, category="operation", **extra):
    r = client.post(BASE, {"category": category, "text": text, **extra})
    assert r.status_code == 201, r.content
    return r.json()


def test_entries_are_timestamped_with_their_author__DUTY_6(world, shifts, api):
    entry = write(api(shifts.out_deputy), "拉开苏越线751开关", site=world.sites["station"].pk)
    assert entry["author_id"] == shifts.out_deputy.pk and entry["author_label"] == "Deputy_A"
    assert entry["at"].startswith("2026-11-27T07:30")  # the frozen clock, in UTC
    assert entry["site_id"] == world.sites["station"].pk


def test_log_is_append_only_and_corrections_point_at_the_original__DUTY_6(world, shifts, api):
    client = api(shifts.out_chief)
    original = write(client, "1号电容器投入")
    for method in ("patch", "delete"):
        r = getattr(client.client, method)(
            f"/api{BASE}/{original['id']}", content_type="application/json", data={}
        )
        assert r.status_code == 409
        assert r.json()["rule"] == "DUTY-6" and r.json()["code"] == "log_append_only"
    corrected = client.post(f"{BASE}/{original['id']}/correct", {"text": "2号电容器投入"})
    assert corrected.status_code == 201
    assert corrected.json()["corrects_id"] == original["id"]
    items = {e["id"]: e for e in client.get(BASE).json()["items"]}
    assert items[original["id"]]["text"] == "1号电容器投入"  # the original stays
    assert items[original["id"]]["corrected_by"] == [corrected.json()["id"]]


def test_log_filters_and_chinese_substring_search__DUTY_6(world, shifts, api, web):
    client = api(shifts.out_chief)
    write(client, "东山变1号电容器自停", category="anomaly", site=world.sites["station"].pk)
    write(client, "10kV母线小电流接地告警", category="grounding")
    write(client, "交直流系统切换", category="acdc")
    api(world.people["guard_b"]).post(
        "/centres/beta/log", {"category": "anomaly", "text": "电容器不是这里的"}
    )

    def texts(query):
        r = client.get(f"{BASE}?{query}")
        assert r.status_code == 200, r.content
        return [e["text"] for e in r.json()["items"]]

    assert texts("q=电容器") == ["东山变1号电容器自停"]  # 3 characters: the index
    assert texts("q=接地") == ["10kV母线小电流接地告警"]  # 2 characters: within the centre
    assert texts("q=母线小电流") == ["10kV母线小电流接地告警"]
    assert texts("category=acdc") == ["交直流系统切换"]
    assert texts(f"site={world.sites['station'].pk}") == ["东山变1号电容器自停"]
    assert len(texts(f"author={shifts.out_chief.pk}")) == 3
    assert texts("since=2026-11-28") == []
    assert texts("q=%22引号%22") == []  # quotes in a search are harmless
    export = web(shifts.out_chief).get("/c/alpha/duty/log/?export=xlsx&q=电容器")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert len(rows) == 2 and "电容器" in rows[1][2]


def test_other_capabilities_write_their_entries_through_one_service__DUTY_7(world, shifts, api):
    from django.db import transaction

    with transaction.atomic():
        entry = services.log_write(
            actor=SCHEDULER,
            source=Source.JOB,
            centre=world.alpha,
            category="operation",
            text="操作票 OP-2026-0001 开始执行",
            regarding=world.sites["station"],
        )
    listed = api(shifts.out_chief).get(BASE).json()["items"]
    assert listed[0]["id"] == entry.pk and listed[0]["author_label"] == "system:scheduler"
    assert LogEntry.objects.get(pk=entry.pk).regarding == world.sites["station"]


def test_other_column_shows_at_the_top_of_the_console__DUTY_8(world, shifts, api, web):
    write(api(shifts.out_chief), "上级通知：今晚22点后加强对东山变的监视", category="other")
    html = web(shifts.in_chief).get("/c/alpha/").content.decode()
    top = html.split('data-testid="other-column"')[1][:2000]
    assert "加强对东山变的监视" in top
    assert html.index('data-testid="other-column"') < html.index('data-testid="duty-shift"')


def test_quick_entry_on_the_console__DUTY_6(world, shifts, web):
    client = web(shifts.out_chief)
    r = client.post(
        "/c/alpha/duty/log/new/",
        {"category": "operation", "text": "合上2号主变10kV开关"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and "合上2号主变10kV开关" in r.content.decode()
    empty = client.post(
        "/c/alpha/duty/log/new/",
        {"category": "operation", "text": ""},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 422 and 'data-testid="quick-entry"' in empty.content.decode()


@pytest.mark.django_db(transaction=True)
def test_console_log_refreshes_live_when_someone_writes__DUTY_6():
    from channels.testing import WebsocketCommunicator

    from zhiban.asgi import application
    from zhiban.core.actors import CLI
    from zhiban.org import services as org

    from ..conftest import make_person
    from ..core.test_live import session_cookie

    centre = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "livelog",
            "name": "L",
            "kind": "power",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    writer = make_person(centre, "writer", "chief_operator")
    reader = make_person(centre, "reader", "deputy_operator")
    cookie = session_cookie(reader)

    async def scenario():
        socket = WebsocketCommunicator(
            application,
            "/ws/live/",
            headers=[(b"origin", b"http://localhost"), (b"cookie", cookie)],
        )
        assert (await socket.connect())[0]
        await socket.receive_json_from(timeout=5)  # the unread count
        await database_sync_to_async(services.log_entry_create)(
            actor=writer,
            source=Source.WEB,
            centre=centre,
            data={"category": "operation", "text": "遥控合闸"},
        )
        event = await socket.receive_json_from(timeout=5)
        assert event == {"kind": "refresh", "panels": ["duty-log"]}
        await socket.disconnect()
        await database_sync_to_async(lambda: connection.close())()

    asyncio.run(scenario())


def test_search_pages_are_not_counted_and_short_words_look_at_recent_days__DUTY_6(
    world, shifts, api, web
):
    client = api(shifts.out_chief)
    write(client, "母线接地告警（今天）", category="grounding")
    world.alpha.refresh_from_db()
    org.centre_settings_update(  # an entry written half a year late needs a wider window
        actor=CLI,
        source=Source.CLI,
        centre_id=world.alpha.pk,
        version=world.alpha.version,
        changes={"time.past_days": 365},
    )
    write(client, "母线接地告警（半年前）", category="grounding", at="2026-05-01T10:00:00+08:00")
    recent = client.get(f"{BASE}?q=接地").json()
    assert recent["count"] is None and recent["more"] is False  # a search is not counted
    assert [e["text"] for e in recent["items"]] == ["母线接地告警（今天）"]
    dated = client.get(f"{BASE}?q=接地&since=2026-01-01").json()
    assert len(dated["items"]) == 2
    assert client.get(BASE).json()["count"] == 2  # a plain list is counted
    page = web(shifts.out_chief).get("/c/alpha/duty/log/?q=接地").content.decode()
    assert 'data-testid="short-search"' in page and "半年前" not in page


def test_log_pages_take_a_fixed_number_of_queries(
    world, shifts, api, web, django_assert_max_num_queries
):
    """The list does not query once per entry (corrections and places come along)."""
    client = api(shifts.out_chief)
    for i in range(30):
        entry = write(client, f"第{i}条记事", site=world.sites["station"].pk)
        if i % 5 == 0:
            client.post(f"{BASE}/{entry['id']}/correct", {"text": f"第{i}条更正"})
    with django_assert_max_num_queries(12):
        assert len(client.get(f"{BASE}?limit=50").json()["items"]) == 36
    page = web(shifts.out_chief)
    page.get("/c/alpha/duty/log/")
    with django_assert_max_num_queries(16):
        assert page.get("/c/alpha/duty/log/").status_code == 200
