"""Handover (交接班): gathered open items, checks, 上不清下不接, both signatures, sign-out after
the incoming side signed, DUTY-10 blockers, carry-over, PDF."""

from datetime import timedelta

import pytest

from zhiban.core.actors import Source
from zhiban.duty import handover_sources
from zhiban.duty.handover_sources import OpenThing

from ..pdf import has_cjk_font

BASE = "/centres/alpha"


def prepare(api, person):
    r = api(person).post(f"{BASE}/handovers", {})
    assert r.status_code == 201, r.content
    return r.json()


def check_all(client, h, state="normal", note=""):
    for check in h["checks"]:
        r = client.post(
            f"{BASE}/handovers/{h['id']}/checks/{check['id']}",
            {"version": h["version"], "state": state, "note": note},
        )
        assert r.status_code == 200, r.content
        h = r.json()
    return h


def offer(client, h):
    r = client.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]})
    assert r.status_code == 200, r.content
    return r.json()


def sign_in(api, person, place):
    r = api(person).post(f"{BASE}/roster/{place.pk}/sign-in", {"version": place.version})
    assert r.status_code == 200, r.content
    return r.json()


def acknowledge_all(client, h):
    for item in h["items"]:
        r = client.post(
            f"{BASE}/handover-items/{item['id']}/acknowledge", {"version": item["version"]}
        )
        assert r.status_code == 200, r.content


def get(client, h):
    return client.get(f"{BASE}/handovers/{h['id']}").json()


def test_handover_gathers_what_is_open_and_the_checklist__DUTY_3(world, shifts, api):
    chief = api(shifts.out_chief)
    carried = chief.post(
        f"{BASE}/carried-items",
        {"text": "东山变1号电容器不平衡告警待查", "continued_by": "中班正值"},
    ).json()
    deadline_target = world.sites["station"].pk
    chief.post(
        f"{BASE}/deadlines",
        {
            "object_type": "org.site",
            "object_id": deadline_target,
            "name": "缺陷消除",
            "due_at": "2026-11-27T12:00:00+08:00",
        },
    )
    h = prepare(api, shifts.out_chief)
    kinds = {(i["kind"], i["text"].split(" — ")[0]) for i in h["items"]}
    assert ("carried", "东山变1号电容器不平衡告警待查") in kinds
    assert ("deadline", "缺陷消除") in kinds  # overdue deadlines join by themselves
    assert [c["name"] for c in h["checks"]] == ["钥匙", "公共物品", "监控设备运行"]
    assert h["incoming_shift"]["pattern"] == "中班"
    assert carried["state"] == "open"


def test_handover_refused_while_item_unclear__DUTY_4(world, shifts, api):
    api(shifts.out_chief).post(f"{BASE}/carried-items", {"text": "苏越线751开关转检修待操作"})
    out, inc = api(shifts.out_chief), api(shifts.in_chief)
    sign_in(api, shifts.in_chief, shifts.in_chief_place)
    h = offer(out, check_all(out, prepare(api, shifts.out_chief)))
    item = h["items"][0]
    r = inc.post(
        f"{BASE}/handover-items/{item['id']}/unclear",
        {"version": item["version"], "note": "操作票是否已开？"},
    )
    assert r.status_code == 200 and r.json()["state"] == "unclear"

    refused = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]})
    assert refused.status_code == 409
    body = refused.json()
    assert body["rule"] == "DUTY-4" and "苏越线751开关转检修待操作" in body["message"]
    assert "DUTY-4" in body["message"]

    item = r.json()
    clarified = out.post(
        f"{BASE}/handover-items/{item['id']}/clarify",
        {"version": item["version"], "clarification": "票已开好，编号在票夹"},
    )
    assert clarified.status_code == 200 and clarified.json()["state"] == "pending"
    still = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]})
    assert still.status_code == 409 and still.json()["code"] == "item_pending"

    acknowledge_all(inc, get(inc, h))
    done = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "accepted"
    assert done.json()["incoming_signed_by_id"] == shifts.in_chief.pk
    assert done.json()["outgoing_signed_by_id"] == shifts.out_chief.pk


def test_abnormal_check_is_signed_for_by_the_outgoing_side__DUTY_4(world, shifts, api):
    out = api(shifts.out_chief)
    h = prepare(api, shifts.out_chief)
    missing_note = out.post(
        f"{BASE}/handovers/{h['id']}/checks/{h['checks'][0]['id']}",
        {"version": h["version"], "state": "abnormal", "note": ""},
    )
    assert missing_note.status_code == 422 and "note" in missing_note.json()["fields"]
    unchecked = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]})
    assert unchecked.status_code == 409 and "钥匙" in unchecked.json()["message"]
    h = check_all(out, h)
    r = out.post(
        f"{BASE}/handovers/{h['id']}/checks/{h['checks'][0]['id']}",
        {"version": h["version"], "state": "abnormal", "note": "备用钥匙少一把"},
    )
    h = offer(out, r.json())
    abnormal = [i for i in h["items"] if i["kind"] == "check"]
    assert [i["text"] for i in abnormal] == ["钥匙: 备用钥匙少一把"]
    assert h["outgoing_signed_by_id"] == shifts.out_chief.pk


def test_outgoing_side_signs_out_only_after_the_incoming_side_signed__DUTY_5(
    world, shifts, api, clock
):
    out = api(shifts.out_chief)
    sign_in(api, shifts.out_chief, shifts.out_chief_place)
    place = shifts.out_chief_place
    place.refresh_from_db()
    early = out.post(f"{BASE}/roster/{place.pk}/sign-out", {"version": place.version})
    assert early.status_code == 409 and early.json()["rule"] == "DUTY-5"

    sign_in(api, shifts.in_chief, shifts.in_chief_place)
    h = offer(out, check_all(out, prepare(api, shifts.out_chief)))
    still = out.post(f"{BASE}/roster/{place.pk}/sign-out", {"version": place.version})
    assert still.status_code == 409 and still.json()["code"] == "handover_not_signed"

    # only people of the incoming shift sign for it, only the outgoing side offers
    wrong = out.post(f"{BASE}/handovers/{h['id']}/accept", {"version": h["version"]})
    assert wrong.status_code == 403 and wrong.json()["rule"] == "DUTY-5"
    acknowledge_all(api(shifts.in_chief), h)
    inc = api(shifts.in_chief)
    assert (
        inc.post(
            f"{BASE}/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]}
        ).status_code
        == 200
    )
    twice = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]})
    assert twice.status_code == 409 and twice.json()["code"] == "transition_refused"

    someone_else = api(shifts.out_deputy).post(
        f"{BASE}/roster/{place.pk}/sign-out", {"version": place.version}
    )
    assert someone_else.status_code == 403
    done = out.post(f"{BASE}/roster/{place.pk}/sign-out", {"version": place.version})
    assert done.status_code == 200 and done.json()["signed_out_at"]


def test_incoming_side_must_have_signed_in_to_take_over__DUTY_5(world, shifts, api):
    out, inc = api(shifts.out_chief), api(shifts.in_chief)
    h = offer(out, check_all(out, prepare(api, shifts.out_chief)))
    r = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": h["version"]})
    assert r.status_code == 409 and r.json()["rule"] == "DUTY-1"


@pytest.fixture
def incident():
    """A stand-in for a later capability's open incident, registered through the one point."""
    handover_sources.register(
        "test_incident",
        lambda centre: [OpenThing("incident", "东山变10kV母线接地故障处理中", blocks=True)],
    )
    yield
    handover_sources.unregister("test_incident")


def test_open_incident_blocks_handover_naming_it__DUTY_10(world, shifts, api, incident):
    out = api(shifts.out_chief)
    h = check_all(out, prepare(api, shifts.out_chief))
    assert any(i["kind"] == "incident" for i in h["items"])
    r = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]})
    assert r.status_code == 409
    assert r.json()["rule"] == "DUTY-10" and "东山变10kV母线接地故障处理中" in r.json()["message"]


def test_carried_items_carry_over_until_closed__DUTY_3(world, shifts, api, clock):
    out = api(shifts.out_chief)
    item = out.post(f"{BASE}/carried-items", {"text": "胥口变远动通道中断，等待远动班"}).json()
    sign_in(api, shifts.in_chief, shifts.in_chief_place)
    first = offer(out, check_all(out, prepare(api, shifts.out_chief)))
    inc = api(shifts.in_chief)
    acknowledge_all(inc, first)
    inc.post(f"{BASE}/handovers/{first['id']}/accept", {"version": get(inc, first)["version"]})

    # the next shift hands over again: the item is still open, so it is listed again
    from .conftest import place

    night_chief = api(shifts.in_deputy)  # anyone of the next crew
    place(world.alpha, shifts.night, "2026-11-28", shifts.out_deputy, "正值")
    clock.shift(timedelta(hours=8))  # 23:30, in the 中班
    second = prepare(api, shifts.in_chief)
    assert any(i["text"] == "胥口变远动通道中断，等待远动班" for i in second["items"])
    closed = inc.post(
        f"{BASE}/carried-items/{item['id']}/close",
        {"version": item["version"], "resolution": "远动班已修复，核对正常"},
    )
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    refreshed = inc.post(
        f"{BASE}/handovers/{second['id']}/refresh", {"version": second["version"]}
    ).json()
    assert not any(i["text"].startswith("胥口变") for i in refreshed["items"])
    history = inc.get(f"/centres/alpha/audit?object_type=duty.carrieditem&object_id={item['id']}")
    assert [e["verb"] for e in history.json()["items"]] == [
        "carried_item.close",
        "carried_item.open",
    ]
    assert night_chief.get(f"{BASE}/carried-items/{item['id']}").status_code == 200


def test_two_people_answering_the_same_item_one_wins__DUTY_4(world, shifts, api):
    out = api(shifts.out_chief)
    out.post(f"{BASE}/carried-items", {"text": "3号主变油温偏高观察"})
    h = offer(out, check_all(out, prepare(api, shifts.out_chief)))
    item = h["items"][0]
    first = api(shifts.in_chief).post(
        f"{BASE}/handover-items/{item['id']}/acknowledge", {"version": item["version"]}
    )
    second = api(shifts.in_deputy).post(
        f"{BASE}/handover-items/{item['id']}/unclear",
        {"version": item["version"], "note": "温度多少？"},
    )
    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["code"] == "conflict"


def test_handover_record_prints_to_pdf_with_chinese_font__DUTY_3(world, shifts, api, web):
    """RPT-3: the handover record prints as PDF with its Chinese text embedded."""
    out = api(shifts.out_chief)
    h = check_all(out, prepare(api, shifts.out_chief))
    r = out.get(f"{BASE}/handovers/{h['id']}/pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert has_cjk_font(r.content)  # Noto CJK glyphs are embedded (DESIGN: PDF)
    page = web(shifts.out_chief).get(f"/c/alpha/duty/handovers/{h['id']}/pdf/")
    assert page.status_code == 200 and page.content.startswith(b"%PDF")


def test_handover_through_the_pages__DUTY_4(world, shifts, web):
    out, inc = web(shifts.out_chief), web(shifts.in_chief)
    from zhiban.duty import services

    services.carried_item_open(
        actor=shifts.out_chief,
        source=Source.WEB,
        centre=world.alpha,
        data={"text": "1号UPS告警待厂家处理", "continued_by": ""},
    )
    r = out.post("/c/alpha/duty/handover/prepare/")
    assert r.status_code == 302
    url = r["Location"]
    from zhiban.duty.models import Handover

    h = Handover.objects.get()
    for check in h.checks.all():
        h.refresh_from_db()
        out.post(f"{url}check/", {"version": h.version, "check": check.pk, "state": "normal"})
    h.refresh_from_db()
    out.post(f"{url}offer/", {"version": h.version})
    h.refresh_from_db()
    assert h.state == "offered"
    item = h.items.get()
    page = inc.get(url).content.decode()
    assert "1号UPS告警待厂家处理" in page and 'data-testid="acknowledge"' in page
    inc.post(f"{url}unclear/", {"item": item.pk, "version": item.version, "note": "厂家何时到？"})
    h.refresh_from_db()
    services.sign_in(
        actor=shifts.in_chief,
        source=Source.WEB,
        entry_id=shifts.in_chief_place.pk,
        version=shifts.in_chief_place.version,
    )
    refused = inc.post(f"{url}accept/", {"version": h.version}, follow=True)
    html = refused.content.decode()
    assert "DUTY-4" in html and "1号UPS告警待厂家处理" in html
    h.refresh_from_db()
    assert h.state == "offered"
