"""Phone contacts: who phoned whom, when, about what, and the read-back (复诵). On the fixed
clock (tests/clock.py): the calls of 2026-11-27 lie in the window and are numbered DH-2026."""

import pytest

from ..clock import fixed_clock  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("fixed_clock")


def record(client, person, **extra):
    return client.post(
        "/centres/alpha/phone-contacts",
        {
            "direction": "outgoing",
            "at": "2026-11-27T10:05:00+08:00",
            "our_person": person.pk,
            "party_name": "吴中操作队 赵刚",
            "party_phone": "13800000021",
            "subject": "通知：苏越线751开关转检修",
            "content": "请准备操作票。",
            **extra,
        },
    )


def test_call_with_read_back_is_confirmed_at_once(world, api):
    chief = world.people["chief_a"]
    r = record(api(chief), chief, read_back="苏越线751开关转检修，明白")
    body = r.json()
    assert r.status_code == 201 and body["read_back_confirmed_at"]
    assert body["read_back_confirmed_by_id"] == chief.pk


def test_read_back_recorded_later_with_version_check(world, api):
    chief = world.people["chief_a"]
    client = api(chief)
    contact = record(client, chief).json()
    assert contact["read_back_confirmed_at"] is None
    url = f"/centres/alpha/phone-contacts/{contact['id']}/read-back"
    r = client.post(url, {"version": contact["version"], "read_back": "复诵正确"})
    assert r.status_code == 200 and r.json()["read_back"] == "复诵正确"
    stale = client.post(url, {"version": contact["version"], "read_back": "又一次"})
    assert stale.status_code == 409
    empty = client.post(url, {"version": r.json()["version"], "read_back": ""})
    assert empty.status_code == 422 and "read_back" in empty.json()["fields"]


def test_calls_are_found_by_chinese_words_and_kept_in_their_centre(world, api):
    chief = world.people["chief_a"]
    client = api(chief)
    record(client, chief)
    record(client, chief, subject="询问东山变电容器异常")
    found = client.get("/centres/alpha/phone-contacts?q=电容器").json()
    assert [c["subject"] for c in found["items"]] == ["询问东山变电容器异常"]
    assert api(world.people["guard_b"]).get("/centres/alpha/phone-contacts").status_code == 404


def test_the_other_side_must_be_a_person_of_this_centre_when_named(world, api):
    chief = world.people["chief_a"]
    r = record(api(chief), chief, party_person=world.people["guard_b"].pk)
    assert r.status_code == 422 and "party_person" in r.json()["fields"]


def test_phone_pages_record_and_confirm(world, web):
    chief = world.people["chief_a"]
    client = web(chief)
    r = client.post(
        "/c/alpha/phone/new/",
        {
            "direction": "incoming",
            "at": "2026-11-27T08:30",
            "our_person": chief.pk,
            "party_name": "地调 王调度",
            "party_person": "",
            "party_phone": "",
            "subject": "调度预发令",
            "content": "",
            "read_back": "",
        },
    )
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "DH-2026-0001" in html and 'data-testid="read-back"' in html
    pk = int(r["Location"].rstrip("/").split("/")[-1])
    done = client.post(f"/c/alpha/phone/{pk}/read-back/", {"version": 1, "read_back": "已复诵"})
    assert done.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "已复诵" in html and 'data-testid="read-back"' not in html
