"""Each centre kind sees its own words for its alarms (alarms/words.py): INC-11's classes
事故/异常/越限/变位/告知 are the power centre's; the security room (beta) names the same five
priorities 警情/故障/超标/状态变化/告知, has no accident records of breaker trips (INC-5, a
power rule), and is offered the incident kinds of INC-8 … INC-10, not the grid's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhiban.alarms import services as alarms
from zhiban.core.actors import CLI, Source

from ..emergency.test_alarm_start import fire_panel  # noqa: F401 (beta's gateway and fire panel)

GRID_WORDS = ("事故", "变位", "越限", "调度", "跳闸")


@pytest.fixture
def beta_alarms(world, fire_panel):  # noqa: F811
    """Beta's fire panel raises a fire alarm and a detector fault on the first floor; its
    building management link (an "other" source) reports a lift stopped."""
    alarms.alarm_source_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.beta,
        data={"code": "beta-bms", "name": "楼宇自控", "kind": "other", "active": True},
    )
    fire_panel("beta-fire", "一层3号烟感火警", "accident")
    fire_panel("beta-fire", "一层7号探测器故障", "abnormal")
    fire_panel("beta-bms", "2号客梯停梯", "abnormal")


def _page(client, path: str, language: str = "zh-hans") -> str:
    client.post("/language/", {"language": language})
    r = client.get(path)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_security_console_names_the_classes_in_its_own_words__INC_11(world, web, beta_alarms):
    client = web(world.people["guard_b"])
    html = _page(client, "/c/beta/alarms/")
    for word in ("警情", "故障", "超标", "状态变化", "告知"):
        assert word in html, word
    for word in GRID_WORDS:
        assert word not in html, word
    assert 'data-testid="link-accidents"' not in html  # INC-5: breaker trips are the grid's
    console = _page(client, "/c/beta/")  # the console panel, the figures of today (no trips)
    assert 'data-klass="accident">警情</span>' in console
    for word in GRID_WORDS:
        assert word not in console, word
    fire = world.beta.alarms.get(signal="一层3号烟感火警")
    detail = _page(client, f"/c/beta/alarms/{fire.pk}/")
    assert "警情" in detail and "事故" not in detail
    english = _page(client, "/c/beta/alarms/", "en")
    assert 'data-klass="accident">Alarm</span>' in english
    assert 'data-klass="abnormal">Fault</span>' in english


def test_power_console_keeps_the_classes_of_power_monitoring__INC_11(world, web):
    html = _page(web(world.people["chief_a"]), "/c/alpha/alarms/")
    for word in ("事故", "异常", "越限", "变位", "告知"):
        assert f">{word}</span>" in html, word
    assert 'data-testid="link-accidents"' in html  # INC-5


def test_security_room_is_offered_its_own_incident_kinds__INC_8(world, web, api, beta_alarms):
    guard = world.people["guard_b"]  # the monitoring room's guard registers incidents
    form = _page(web(guard), "/c/beta/alarms/incidents/new/")
    assert 'value="fire"' in form and 'value="camera"' in form  # INC-8, INC-10
    assert 'value="comm_loss"' not in form and 'value="remote"' not in form  # INC-6, INC-7
    power = _page(web(world.people["chief_a"]), "/c/alpha/alarms/incidents/new/")
    assert 'value="comm_loss"' in power and 'value="fire"' in power  # a substation's panels
    r = api(guard).post(
        "/centres/beta/incidents",
        {"kind": "comm_loss", "title": "远动退出", "opened_at": timezone.now().isoformat()},
    )
    assert r.status_code == 422 and "kind" in r.json()["fields"], r.content
    fire = api(guard).post(
        "/centres/beta/incidents",
        {"kind": "fire", "title": "一层火警", "opened_at": timezone.now().isoformat()},
    )
    assert fire.status_code == 201, fire.content


def test_an_incident_opened_from_a_security_alarm_takes_a_kind_the_room_is_offered__INC_8(
    world, web, api, beta_alarms
):
    """A fire panel's alarm opens a fire incident; the lift's alarm (not a panel, not a camera)
    opens "other", not the grid's emergency (INC-4), and both are stored."""
    guard = world.people["guard_b"]
    fire = world.beta.alarms.get(signal="一层3号烟感火警")
    lift = world.beta.alarms.get(signal="2号客梯停梯")
    form = _page(web(guard), f"/c/beta/alarms/incidents/new/?alarm={fire.pk}")
    assert '<option value="fire" selected>' in form
    form = _page(web(guard), f"/c/beta/alarms/incidents/new/?alarm={lift.pk}")
    assert '<option value="other" selected>' in form and 'value="emergency"' not in form
    for alarm, kind in ((fire, "fire"), (lift, "other")):
        r = api(guard).post(
            "/centres/beta/incidents",
            {"alarms": [alarm.pk], "opened_at": timezone.now().isoformat()},
        )
        assert r.status_code == 201 and r.json()["kind"] == kind, r.content
