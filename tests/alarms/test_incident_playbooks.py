"""Incidents follow the playbook of their kind, through the API and the pages: an emergency's
steps with the details after the inspection (INC-4), a communication loss open until repaired
(INC-6), remote handling in order (INC-7), the security rooms' verify → verdict → reset / plan /
maintenance (INC-8), an instrument's exceedance needing an approval before remote operation
(INC-9), an incident seen on camera with its location, persons and 110/120 calls (INC-10);
incidents opened from alarms take their kind, site and title and group them."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from zhiban.alarms import services as alarms
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role

from ..clock import set_window
from ..conftest import make_person

SERIAL = count(1)


def zh(text: str) -> str:
    """A msgid as the zh-Hans reader sees it (holds before and after the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(text)


def ago(minutes: float) -> str:
    return timezone.localtime(timezone.now() - timedelta(minutes=minutes)).isoformat()


class Desk:
    """One incident handled through the API by one person; keeps the version it last read."""

    def __init__(self, api, person, centre: str = "alpha"):
        self.client = api(person)
        self.base = f"/centres/{centre}/incidents"
        self.incident: dict = {}

    def open(self, expect: int = 201, **data) -> Desk:
        r = self.client.post(self.base, {"title": "一号变事故", "opened_at": ago(60), **data})
        assert r.status_code == expect, r.content
        if expect == 201:
            self.incident = r.json()
        self.response = r
        return self

    @property
    def url(self) -> str:
        return f"{self.base}/{self.incident['id']}"

    def _post(self, what: str, body: dict, expect: int):
        r = self.client.post(f"{self.url}/{what}", {"version": self.incident["version"], **body})
        assert r.status_code == expect, r.content
        if r.status_code in (200, 201):
            self.incident = r.json()
        return r.json()

    def step(self, kind: str, expect: int = 201, **data) -> dict:
        return self._post("steps", {"kind": kind, **data}, expect)

    def steps(self, *kinds: str, **data) -> None:
        for kind in kinds:
            self.step(kind, **data)

    def verdict(self, verdict: str, expect: int = 200) -> dict:
        return self._post("verdict", {"verdict": verdict}, expect)

    def close(self, expect: int = 200) -> dict:
        return self._post("close", {"note": "已处理完毕"}, expect)


@pytest.fixture
def desk(world, api):
    """desk(login, centre="alpha") → a Desk acting as that person."""
    return lambda login="chief_a", centre="alpha": Desk(api, world.people[login], centre)


WHO = {"counterpart": "对方"}  # every step's counterpart, where its line names one


def refused(body: dict, rule: str) -> str:
    assert body["rule"] == rule, body
    return body["message"]


# --- INC-4: an emergency --------------------------------------------------------------------------


def test_emergency_records_each_step_and_reports_details_after_inspection__INC_4(desk):
    d = desk().open(kind="emergency")
    assert d.incident["next_steps"] == ["reported_dispatcher", "team_sent", "video_checked"]
    d.step("reported_dispatcher", at=ago(50), counterpart="地调 王调度", text="一号变10kV母线接地")
    d.step("team_sent", at=ago(49), counterpart="一队 赵刚")
    d.step("video_checked", at=ago(48), text="现场无烟火")
    early = d.step("details_reported", expect=409, **WHO)
    assert refused(early, "INC-4") == zh("details are reported after the team has inspected") + (
        " (INC-4)"
    )
    assert refused(d.step("mode_checked", expect=409, **WHO), "INC-4")
    d.step("team_inspected", at=ago(20), counterpart="赵刚", text="10kV I段母线PT熔丝熔断")
    d.step("details_reported", counterpart="地调 王调度", text="PT熔丝熔断，已更换")
    steps = {s["kind"]: s for s in d.incident["steps"]}
    assert steps["reported_dispatcher"]["counterpart"] == "地调 王调度"
    assert steps["team_inspected"]["text"] == "10kV I段母线PT熔丝熔断"
    assert len(d.incident["missing"]) == 1 and "核对运方" in d.incident["missing"][0]
    closing = d.close(expect=409)
    assert closing["code"] == "playbook" and "核对运方" in refused(closing, "INC-4")
    d.step("mode_checked", counterpart="赵刚")
    assert d.close()["state"] == "closed" and d.incident["missing"] == []


def test_a_step_records_its_time_contact_and_text_within_the_rules__INC_4(desk, api, world):
    d = desk().open(kind="emergency", opened_at=ago(30))
    r = d.step("reported_dispatcher", expect=422)  # who was told is named
    assert "counterpart" in r["fields"]
    assert "at" in d.step("reported_dispatcher", expect=422, at=ago(-30), **WHO)["fields"]
    assert "at" in d.step("reported_dispatcher", expect=422, at=ago(40), **WHO)["fields"]
    assert "kind" in d.step("verified", expect=422)["fields"]  # not a step of an emergency
    stale = d.client.post(
        f"{d.url}/steps",
        {"version": d.incident["version"] + 1, "kind": "note", "text": "x"},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    d.step("reported_dispatcher", **WHO)  # default: now
    again = d.step("reported_dispatcher", expect=409, **WHO)
    assert refused(again, "INC-4")
    d.step("team_sent", at=ago(10), **WHO)
    early = d.step("team_inspected", expect=422, at=ago(20), **WHO)  # before the team was sent
    assert "at" in early["fields"]
    assert "text" in d.step("note", expect=422)["fields"]
    d.step("note", text="调度要求加强监视")
    assert [s["kind"] for s in d.incident["steps"]][-1] == "note"
    # each step also goes into the duty log (DUTY-7) and the audit trail
    log = api(world.people["chief_a"]).get("/centres/alpha/log?category=anomaly").json()["items"]
    assert any("调度要求加强监视" in e["text"] for e in log)
    assert any("汇报调度" in e["text"] for e in log)
    trail = (
        api(world.people["chief_a"])
        .get(f"/centres/alpha/audit?object_type=alarms.incident&object_id={d.incident['id']}")
        .json()["items"]
    )
    assert [e["verb"] for e in trail].count("incident.step") == 3


# --- INC-6: communication loss ----------------------------------------------------------------


def test_communication_loss_stays_open_until_repair_is_reported__INC_6(desk):
    d = desk().open(kind="comm_loss", title="横泾变远动通信中断")
    assert refused(d.step("telecontrol_told", expect=409), "INC-6")  # the dispatcher first
    d.step("reported_dispatcher", counterpart="地调 王调度")
    d.step("telecontrol_told", counterpart="远动班 李工")
    closing = refused(d.close(expect=409), "INC-6")
    repaired = "A communication loss stays open until the centre is told it is repaired"
    assert closing.endswith(zh(repaired) + " (INC-6)")
    d.step("repaired", counterpart="远动班 李工", text="通道已恢复，四遥核对正确")
    assert d.close()["state"] == "closed"


# --- INC-7: remote handling -------------------------------------------------------------------


def test_remote_handling_goes_order_operate_report_then_team__INC_7(desk):
    d = desk().open(kind="remote", title="遥控拉开113开关")
    for early in ("operated", "reported_done", "team_told"):
        assert refused(d.step(early, expect=409, counterpart="x", text="x"), "INC-7")
    d.step("order_received", counterpart="地调 王调度")
    assert "text" in d.step("operated", expect=422)["fields"]  # what was operated
    d.step("operated", text="遥控拉开东吴3号线113开关，位置正确")
    assert refused(d.close(expect=409), "INC-7")
    assert refused(d.step("team_told", expect=409, counterpart="x", text="x"), "INC-7")
    d.step("reported_done", counterpart="地调 王调度")
    assert refused(d.close(expect=409), "INC-7")
    d.step("team_told", counterpart="一队 赵刚", text="113开关已遥控拉开，到站勿再操作")
    assert d.close()["state"] == "closed"


# --- INC-8: fire and intrusion alarms in a security room --------------------------------------


def _verified(d) -> None:
    d.step("located", location="一层 东门入口")
    d.step("leader_reported", counterpart="班长")
    d.step("camera_watched")
    d.step("patrol_sent", counterpart="巡逻岗")
    d.step("verified", text="现场核实")


@pytest.mark.parametrize(
    ("kind", "verdict", "needed", "wrong"),
    [
        ("fire", "false", "reset", "plan_started"),
        ("intrusion", "false", "reset", "maintenance_called"),
        ("fire", "real", "plan_started", "reset"),
        ("intrusion", "fault", "maintenance_called", "reset"),
    ],
)
def test_security_alarm_is_located_verified_judged_then_reset_planned_or_repaired__INC_8(
    desk, kind, verdict, needed, wrong
):
    d = desk("guard_b", "beta").open(kind=kind, title="一层东门报警")  # a guard may (INC-8)
    assert "location" in d.step("located", expect=422)["fields"]
    assert refused(d.step("patrol_sent", expect=409, **WHO), "INC-8")  # located first
    assert refused(d.verdict(verdict, expect=409), "INC-8")  # not before verification
    assert refused(d.step(needed, expect=409, **WHO), "INC-8")  # not before the verdict
    _verified(d)
    assert d.incident["location"] == "一层 东门入口"
    assert refused(d.close(expect=409), "INC-8")
    assert len(d.client.get(d.url).json()["missing"]) == 1  # the verdict
    d.verdict(verdict)
    assert d.incident["verdict"] == verdict
    assert refused(d.verdict("real", expect=409), "INC-8")  # once; corrections are notes
    assert refused(d.step(wrong, expect=409, **WHO), "INC-8")  # another verdict's step
    assert refused(d.close(expect=409), "INC-8")
    d.step(needed, counterpart="维保单位", text="已处理")
    assert d.close()["state"] == "closed"


# --- INC-9: exceedance of an online monitoring instrument -------------------------------------


def test_exceedance_needs_a_recorded_approval_before_remote_operation__INC_9(desk):
    d = desk().open(kind="exceedance", title="1号主变油色谱乙炔超标")
    early = d.step("remote_operated", expect=409, text="远程复位")
    assert (
        refused(early, "INC-9")
        == zh("remote operation of a field instrument needs a leader's approval recorded first")
        + " (INC-9)"
    )
    assert "counterpart" in d.step("approved", expect=422)["fields"]  # the leader is named
    d.step("approved", counterpart="何平主任", text="同意远程复位在线监测仪")
    d.step("remote_operated", text="远程复位在线监测仪，读数恢复")
    _verified(d)
    d.verdict("fault")
    assert refused(d.close(expect=409), "INC-9")
    d.step("maintenance_called", counterpart="厂家 陈工")
    assert d.close()["state"] == "closed"


# --- INC-10: seen on camera -------------------------------------------------------------------


def test_camera_incident_records_location_persons_and_110_120_calls__INC_10(desk):
    d = desk("guard_b", "beta").open(expect=422, kind="camera", title="二层有人斗殴")
    assert {"location", "persons"} <= set(d.response.json()["fields"])
    d.open(
        kind="camera",
        title="二层有人斗殴",
        location="二层 中庭扶梯口",
        persons="两名男子，一人穿黑色外套，一人戴白色帽子",
    )
    assert "text" in d.step("called_110", expect=422)["fields"]  # what was said
    d.step("called_110", text="报警：二层中庭两人斗殴，无人受伤")
    d.step("called_120", text="一人头部擦伤，请求急救")
    d.step("called_110", text="民警已到场")  # may be called again
    assert refused(d.close(expect=409), "INC-10")
    d.step("leader_reported", counterpart="徐班长")
    assert d.close()["state"] == "closed"
    assert [s["kind"] for s in d.incident["steps"]].count("called_110") == 2
    assert d.step("note", expect=409, text="x")["code"] == "transition_refused"  # closed


def test_other_incidents_take_notes_and_close_without_a_playbook(desk):
    d = desk().open()
    assert d.incident["kind"] == "other" and d.incident["next_steps"] == []
    d.step("note", text="记录")
    assert "kind" in d.step("reported_dispatcher", expect=422, **WHO)["fields"]
    assert d.close()["state"] == "closed"


# --- opening from alarms ----------------------------------------------------------------------


@pytest.fixture
def sources(world):
    """Alpha's SCADA, online monitoring and fire panel, beta's intrusion panel, and a gateway
    account at each centre."""
    for centre in (world.alpha, world.beta):
        world.people[f"gateway_{centre.code}"] = make_person(
            centre, f"gateway_{centre.code}", Role.GATEWAY
        )
    for code, kind in [("a-scada", "scada"), ("a-online", "instrument"), ("a-fire", "fire")]:
        alarms.alarm_source_create(
            actor=CLI,
            source=Source.CLI,
            centre=world.alpha,
            data={"code": code, "name": code, "kind": kind, "active": True},
        )
    alarms.alarm_source_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.beta,
        data={"code": "b-intrusion", "name": "防盗主机", "kind": "intrusion", "active": True},
    )


def raise_alarm(api, world, source: str, signal: str, klass: str, site="S1") -> int:
    """Sends one event as the centre's gateway and answers the id of its alarm."""
    centre = "beta" if source.startswith("b-") else "alpha"
    event = {
        "source": source,
        "id": f"e{next(SERIAL)}",
        "at": ago(5),
        "site": site,
        "signal": signal,
        "class": klass,
    }
    body = api(world.people[f"gateway_{centre}"]).post("/events", [event]).json()
    assert body["accepted"] == 1, body
    admin = world.people[f"admin_{centre[0]}"]
    items = api(admin).get(f"/centres/{centre}/alarms").json()["items"]
    return next(a["id"] for a in items if a["signal"] == signal)


@pytest.mark.parametrize(
    ("source", "signal", "klass", "kind"),
    [
        ("a-fire", "2号烟感火警", "accident", "fire"),
        ("a-online", "1号主变油色谱乙炔超标", "limit", "exceedance"),
        ("a-online", "在线监测装置通信中断", "abnormal", "comm_loss"),
        ("a-scada", "远动退出", "abnormal", "comm_loss"),
        ("a-scada", "10kV母线接地", "abnormal", "emergency"),
    ],
)
def test_opening_from_an_alarm_takes_its_kind_site_and_title__INC_4_INC_6_INC_8_INC_9(
    world, api, desk, sources, source, signal, klass, kind
):
    alarm = raise_alarm(api, world, source, signal, klass)
    d = desk().open(title="", alarms=[alarm])
    assert d.incident["kind"] == kind and d.incident["alarms"] == [alarm]
    assert d.incident["site_id"] == world.sites["station"].pk
    assert signal in d.incident["title"]


def test_alarms_are_grouped_once_and_only_the_centres_own(world, api, desk, sources):
    first = raise_alarm(api, world, "a-scada", "10kV母线接地", "abnormal")
    second = raise_alarm(api, world, "a-scada", "2号主变轻瓦斯", "abnormal")
    foreign = raise_alarm(api, world, "b-intrusion", "东门防区报警", "abnormal", site="F1")
    d = desk().open(title="母线接地", kind="emergency", alarms=[first])
    assert "alarms" in desk().open(expect=422, alarms=[first]).response.json()["fields"]
    assert "alarms" in desk().open(expect=422, alarms=[foreign]).response.json()["fields"]
    r = d.client.post(f"{d.url}/alarms", {"version": d.incident["version"], "alarms": [second]})
    assert r.status_code == 200 and sorted(r.json()["alarms"]) == sorted([first, second])
    again = d.client.post(f"{d.url}/alarms", {"version": r.json()["version"], "alarms": [second]})
    assert again.status_code == 200  # already in this incident: nothing changes
    stale = d.client.post(f"{d.url}/alarms", {"version": 1, "alarms": [second]})
    assert stale.status_code == 409


def test_intrusion_alarm_at_the_security_room_opens_an_intrusion_incident__INC_8(
    world, api, desk, sources
):
    alarm = raise_alarm(api, world, "b-intrusion", "东门防区报警", "abnormal", site="F1")
    d = desk("guard_b", "beta").open(title="", alarms=[alarm])
    assert d.incident["kind"] == "intrusion" and d.incident["next_steps"] == ["located"]


# --- the pages ----------------------------------------------------------------------------------


def test_incident_page_records_steps_and_shows_refusals_next_to_the_form__INC_4(desk, web, world):
    d = desk().open(kind="emergency", opened_at=ago(60))
    client = web(world.people["deputy_a"])
    page = f"/c/alpha/alarms/incidents/{d.incident['id']}/"
    html = client.get(page).content.decode()
    assert 'data-testid="form-reported_dispatcher"' in html
    assert 'data-testid="form-details_reported"' not in html  # not its turn yet
    r = client.post(
        f"{page}steps/",
        {
            "version": d.incident["version"],
            "kind": "reported_dispatcher",
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "counterpart": "地调 王调度",
            "text": "母线接地",
        },
    )
    assert r.status_code == 302
    html = client.get(page).content.decode()
    assert (
        'data-testid="step-reported_dispatcher" data-done="yes"' in html and "地调 王调度" in html
    )
    # a refused step comes back with the message and the rule next to its form
    r = client.post(
        f"{page}steps/",
        {"version": d.incident["version"] + 1, "kind": "details_reported", "counterpart": "x"},
    )
    assert r.status_code == 409
    assert zh("details are reported after the team has inspected") in r.content.decode()
    assert "(INC-4)" in r.content.decode()
    r = client.post(f"{page}steps/", {"version": d.incident["version"] + 1, "kind": "team_sent"})
    assert r.status_code == 422 and 'data-field="counterpart"' in r.content.decode()


def test_incident_page_refuses_closing_naming_what_is_missing__INC_6(desk, web, world):
    d = desk().open(kind="comm_loss")
    client = web(world.people["chief_a"])
    page = f"/c/alpha/alarms/incidents/{d.incident['id']}/"
    assert 'data-testid="missing"' in client.get(page).content.decode()
    r = client.post(f"{page}close/", {"version": d.incident["version"], "note": "已恢复"})
    assert r.status_code == 409
    html = r.content.decode()
    assert "(INC-6)" in html and "告知已修复" in html
    assert d.client.get(d.url).json()["state"] == "open"


def test_verdict_through_the_page__INC_8(desk, web, world):
    d = desk("guard_b", "beta").open(kind="fire")
    _verified(d)
    client = web(world.people["guard_b"])
    page = f"/c/beta/alarms/incidents/{d.incident['id']}/"
    assert 'data-testid="verdict-form"' in client.get(page).content.decode()
    r = client.post(f"{page}verdict/", {"version": d.incident["version"], "verdict": "false"})
    assert r.status_code == 302
    html = client.get(page).content.decode()
    assert 'data-testid="form-reset"' in html and 'data-testid="form-plan_started"' not in html


def test_new_incident_page_opens_from_alarms__INC_4(world, api, web, sources):
    first = raise_alarm(api, world, "a-scada", "10kV母线接地", "abnormal")
    second = raise_alarm(api, world, "a-scada", "2号主变轻瓦斯", "abnormal")
    client = web(world.people["chief_a"])
    html = client.get(f"/c/alpha/alarms/incidents/new/?alarm={first}&alarm={second}")
    html = html.content.decode()
    assert "10kV母线接地" in html and 'value="emergency" selected' in html
    r = client.post(
        "/c/alpha/alarms/incidents/new/",
        {"alarms": [first, second], "opened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert r.status_code == 302
    incident = api(world.people["chief_a"]).get("/centres/alpha/incidents").json()["items"][0]
    assert sorted(incident["alarms"]) == sorted([first, second])
    assert incident["kind"] == "emergency" and "10kV母线接地" in incident["title"]


def test_playbooks_are_written_into_the_docs(tmp_path):
    """docs/flows/incident_playbooks.md is regenerated whenever a playbook changes."""
    from pathlib import Path

    call_command("flows", "--out", str(tmp_path))
    docs = Path(__file__).resolve().parents[2] / "docs" / "flows" / "incident_playbooks.md"
    assert docs.read_text() == (tmp_path / "incident_playbooks.md").read_text()


def test_a_step_is_timed_in_the_centres_window__ORG_4(desk, api, world):
    """A step's time is checked against the centre's own window: widened to 30 days, an
    incident opened 20 days ago takes a step of 19 days ago (the default 7 would refuse it)."""
    set_window(api(world.people["admin_a"]), past_days=30)
    d = desk().open(kind="emergency", opened_at=ago(20 * 24 * 60))
    d.step("reported_dispatcher", at=ago(19 * 24 * 60), **WHO)
    set_window(api(world.people["admin_a"]), past_days=1)
    late = d.step("team_sent", expect=422, at=ago(2 * 24 * 60), **WHO)
    assert "ORG-4" in " ".join(late["fields"]["at"]), late
