"""Severe-weather mode (DUTY-9): team leaders are told and confirm on post, a banner shows on
every page of the centre until it is switched off, all of it is logged."""

from zhiban.core.models import Notification
from zhiban.duty.models import LogEntry

from ..conftest import make_person

BASE = "/centres/alpha/weather"


def test_severe_weather_calls_team_leaders_shows_a_banner_and_is_logged__DUTY_9(
    world, shifts, api, web
):
    second_leader = make_person(
        world.alpha, "leader2", "team_leader", team=world.team, name="二队队长"
    )
    chief = api(shifts.out_chief)
    r = chief.post(BASE, {"kind": "typhoon", "reason": "台风“海葵”今晚登陆"})
    assert r.status_code == 201, r.content
    weather = r.json()
    asked = {c["person_id"] for c in weather["confirmations"]}
    assert asked == {world.people["leader_a"].pk, second_leader.pk}
    assert Notification.objects.filter(recipient=second_leader, level="urgent").exists()
    again = chief.post(BASE, {"kind": "thunderstorm", "reason": "又一次"})
    assert again.status_code == 409 and again.json()["rule"] == "DUTY-9"

    for page in ("/c/alpha/", "/c/alpha/org/sites/", "/c/alpha/duty/log/"):
        html = web(world.people["field_a"]).get(page).content.decode()
        assert 'data-testid="banner-weather"' in html and "海葵" in html
    assert (
        'data-testid="banner-weather"'
        not in web(world.people["guard_b"]).get("/c/beta/").content.decode()
    )

    leader = api(world.people["leader_a"])
    confirmed = leader.post(f"{BASE}/{weather['id']}/confirm", {"where": "东山变"})
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_at"]
    not_asked = api(shifts.out_deputy).post(f"{BASE}/{weather['id']}/confirm", {})
    assert not_asked.status_code == 403
    current = chief.get(BASE).json()
    assert [c["where"] for c in current["confirmations"] if c["confirmed_at"]] == ["东山变"]

    refused = api(world.people["field_a"]).post(
        f"{BASE}/{weather['id']}/end", {"version": current["version"]}
    )
    assert refused.status_code == 403
    ended = chief.post(f"{BASE}/{weather['id']}/end", {"version": current["version"]})
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert chief.get(BASE).status_code == 204
    assert (
        'data-testid="banner-weather"'
        not in web(world.people["field_a"]).get("/c/alpha/").content.decode()
    )
    texts = list(
        LogEntry.objects.filter(category="weather").order_by("id").values_list("text", flat=True)
    )
    assert len(texts) == 3 and "海葵" in texts[0] and "东山变" in texts[1]


def test_weather_page_switches_on_and_confirms__DUTY_9(world, shifts, web):
    chief = web(shifts.out_chief)
    r = chief.post("/c/alpha/duty/weather/", {"kind": "thunderstorm", "reason": "雷暴雨预警"})
    assert r.status_code == 302
    page = web(world.people["leader_a"]).get("/c/alpha/duty/weather/").content.decode()
    assert 'data-testid="confirm-on-post"' in page and "雷暴雨预警" in page
