"""A long incident handed over as running (DUTY-10): the outgoing side names who is on it and
when it should end instead of closing it falsely; both sides sign for it; an incident neither
closed nor handed over still blocks, and so does what the shift itself must finish."""

import pytest

from zhiban.duty import handover_sources
from zhiban.duty.handover_sources import OpenThing

from .test_handover import BASE, check_all, get, prepare, sign_in

OUTAGE = "胥口变远动通道中断"


def open_incident(client, world, title=OUTAGE):
    r = client.post(
        f"{BASE}/incidents",
        {
            "kind": "other",
            "site": world.sites["station"].pk,
            "title": title,
            "opened_at": "2026-11-27T14:50:00+08:00",
        },
    )
    assert r.status_code == 201, r.content
    return r.json()


def incident_item(h, title=OUTAGE):
    (item,) = [i for i in h["items"] if i["kind"] == "incident" and i["text"] == title]
    return item


def hand_over_running(client, item, **body):
    return client.post(
        f"{BASE}/handover-items/{item['id']}/hand-over-running",
        {
            "version": item["version"],
            "handled_by": "远动班 张工",
            "expected_at": "2026-11-27T20:00:00+08:00",
            **body,
        },
    )


def test_open_incident_handed_over_running_is_signed_by_both_sides__DUTY_10(world, shifts, api):
    out, inc = api(shifts.out_chief), api(shifts.in_chief)
    incident = open_incident(out, world)
    h = check_all(out, prepare(api, shifts.out_chief))

    blocked = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]})
    assert blocked.status_code == 409
    assert blocked.json()["rule"] == "DUTY-10" and OUTAGE in blocked.json()["message"]

    declared = hand_over_running(out, incident_item(h))
    assert declared.status_code == 200, declared.content
    item = declared.json()
    assert item["handled_by"] == "远动班 张工"
    assert item["expected_at"] == "2026-11-27T20:00:00+08:00"
    assert item["handed_over_by_id"] == shifts.out_chief.pk and item["state"] == "pending"

    offered = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": get(out, h)["version"]})
    assert offered.status_code == 200, offered.content
    assert offered.json()["outgoing_signed_by_id"] == shifts.out_chief.pk

    sign_in(api, shifts.in_chief, shifts.in_chief_place)
    unread = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]})
    assert unread.status_code == 409 and unread.json()["rule"] == "DUTY-4"
    item = incident_item(get(inc, h))
    acknowledged = inc.post(
        f"{BASE}/handover-items/{item['id']}/acknowledge", {"version": item["version"]}
    )
    assert acknowledged.status_code == 200
    taken = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]})
    assert taken.status_code == 200, taken.content
    item = incident_item(taken.json())
    assert item["handed_over_by_id"] == shifts.out_chief.pk  # the outgoing side signed it
    assert item["acknowledged_by_id"] == shifts.in_chief.pk  # and the incoming side
    assert out.get(f"{BASE}/incidents/{incident['id']}").json()["state"] == "open"
    history = out.get(f"/centres/alpha/audit?object_type=duty.handoveritem&object_id={item['id']}")
    assert [e["verb"] for e in history.json()["items"]] == [
        "handover_item.acknowledge",
        "handover_item.hand_over_running",
    ]
    log = out.get(f"{BASE}/log?category=handover").json()["items"]
    assert any(OUTAGE in e["text"] and "远动班 张工" in e["text"] for e in log)


def test_incident_opened_after_the_offer_blocks_the_takeover__DUTY_10(world, shifts, api):
    out, inc = api(shifts.out_chief), api(shifts.in_chief)
    open_incident(out, world)
    h = check_all(out, prepare(api, shifts.out_chief))
    assert hand_over_running(out, incident_item(h)).status_code == 200
    h = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": get(out, h)["version"]}).json()
    sign_in(api, shifts.in_chief, shifts.in_chief_place)
    for item in h["items"]:
        inc.post(f"{BASE}/handover-items/{item['id']}/acknowledge", {"version": item["version"]})

    open_incident(out, world, title="东山变10kV母线接地")
    refused = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]})
    assert refused.status_code == 409
    assert refused.json()["rule"] == "DUTY-10"
    assert "东山变10kV母线接地" in refused.json()["message"]
    assert get(inc, h)["state"] == "offered"


@pytest.fixture
def switching():
    """A switching operation of the shift in progress, through the one registration point."""
    handover_sources.register(
        "test_switching",
        lambda centre: [OpenThing("ticket", "苏越线751开关由运行转检修（操作中）", blocks=True)],
    )
    yield
    handover_sources.unregister("test_switching")


def test_switching_operation_cannot_be_handed_over_running__DUTY_10(world, shifts, api, switching):
    out = api(shifts.out_chief)
    h = check_all(out, prepare(api, shifts.out_chief))
    (ticket,) = [i for i in h["items"] if i["kind"] == "ticket"]
    refused = hand_over_running(out, ticket)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "DUTY-10" and refused.json()["code"] == "not_an_incident"
    still = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]})
    assert still.status_code == 409 and "苏越线751开关" in still.json()["message"]


def test_hand_over_running_needs_who_and_when__DUTY_10(world, shifts, api):
    out = api(shifts.out_chief)
    open_incident(out, world)
    h = prepare(api, shifts.out_chief)
    r = hand_over_running(out, incident_item(h), handled_by="")
    assert r.status_code == 422 and "handled_by" in r.json()["fields"]
    # only the outgoing side declares it
    other = hand_over_running(api(shifts.in_chief), incident_item(h))
    assert other.status_code == 403 and other.json()["rule"] == "DUTY-5"


def test_handover_page_hands_an_incident_over_as_running__DUTY_10(world, shifts, api, web):
    open_incident(api(shifts.out_chief), world)
    h = prepare(api, shifts.out_chief)
    url = f"/c/alpha/duty/handovers/{h['id']}/"
    out = web(shifts.out_chief)
    page = out.get(url).content.decode()
    assert 'data-testid="running-form"' in page and 'name="expected_at"' in page
    item = incident_item(h)
    answer = out.post(
        f"{url}running/",
        {
            "item": item["id"],
            "version": item["version"],
            "handled_by": "远动班 张工",
            "expected_at": "2026-11-27T20:00",
        },
        follow=True,
    )
    shown = answer.content.decode()
    assert 'data-testid="running"' in shown and "远动班 张工" in shown and "11-27 20:00" in shown
    assert "DUTY-10" in shown
    incoming = web(shifts.in_chief).get(url).content.decode()
    assert "远动班 张工" in incoming and 'data-testid="running-form"' not in incoming
