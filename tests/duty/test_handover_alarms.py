"""DUTY-3: the handover lists the centre's alarms nobody has acknowledged at that moment (and
the shelved ones), on the page, in the API and in the printed record."""

from ..alarms.test_alarm_console import Gateway, event, one, shelve
from ..pdf import pdf_pages
from .test_handover import BASE, prepare


def test_handover_lists_the_unacknowledged_and_shelved_alarms__DUTY_3(world, shifts, api, web):
    gateway = Gateway(world, api)
    gateway.send(event("主变油温高"), event("电压越上限", "limit"), event("直流接地"))
    chief = world.people["chief_a"]
    acked = one(api, chief, "直流接地")
    r = api(chief).post(f"{BASE}/alarms/{acked['id']}/ack", {"version": acked["version"]})
    assert r.status_code == 200, r.content
    limit = one(api, chief, "电压越上限")
    until = "2026-11-27T18:00:00+08:00"
    assert shelve(api, chief, limit, reason="检修中", until=until).status_code == 200

    h = prepare(api, shifts.out_chief)
    alarm_items = [i for i in h["items"] if i["kind"] == "alarm"]
    unacked = [i for i in alarm_items if "主变油温高" in i["detail"]]
    assert len(unacked) == 1 and unacked[0]["state"] == "pending"
    assert "直流接地" not in unacked[0]["detail"]  # acknowledged: not listed
    assert any("电压越上限" in i["text"] for i in alarm_items)  # shelved, with its reason

    page = web(shifts.out_chief).get(f"/c/alpha/duty/handovers/{h['id']}/").content.decode()
    assert "1 条未确认告警" in page and "一号变 主变油温高" in page
    assert "电压越上限" in page and "检修中" in page
    printed = "".join(
        pdf_pages(api(shifts.out_chief).get(f"{BASE}/handovers/{h['id']}/pdf").content)
    )
    assert "1 条未确认告警" in printed and "主变油温高" in printed
