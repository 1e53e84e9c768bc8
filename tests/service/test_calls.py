"""The hotline's calls (issue 12 item 9, CS-1, CS-6): the telephone system's events in
Zammad's generic CTI shape, through ``POST /api/service/calls`` with a gateway token, stored
once per call; missed calls in the morning queue and taken once; the caller log."""

from __future__ import annotations

import io
import json
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhiban.core.actors import Source
from zhiban.core.models import AuditEvent
from zhiban.core.permissions import Role
from zhiban.duty.models import LogEntry
from zhiban.org import services as org
from zhiban.service import cti
from zhiban.service.models import Call, CallState, Customer

from ..conftest import Api, make_person

URL = "/service/calls"


def token_of(person) -> str:
    _token, raw = org.api_token_create(actor=person, source=Source.CLI, name="pbx")
    return raw


@pytest.fixture
def pbx(cs):
    """The hotline's telephone system: a gateway account of kefu with its own token."""
    gateway = make_person(cs.kefu, "pbx", Role.GATEWAY)
    return Api(Client(), headers={"Authorization": f"Bearer {token_of(gateway)}"})


@pytest.fixture
def pbx_b(cs):
    """kefu2's telephone system."""
    gateway = make_person(cs.kefu2, "pbx_b", Role.GATEWAY)
    return Api(Client(), headers={"Authorization": f"Bearer {token_of(gateway)}"})


def ring(api, call_id="c-1", number="13800000051", **extra):
    body = {
        "event": "newCall",
        "callId": call_id,
        "from": number,
        "to": "4008200365",
        "direction": "in",
        **extra,
    }
    return api.post(URL, body)


def audits(verb_prefix="call."):
    return AuditEvent.objects.filter(verb__startswith=verb_prefix).count()


def test_new_call_answer_and_hang_up_store_one_call_with_its_times_and_agent__CS_1(cs, pbx):
    customer = Customer.objects.create(centre=cs.kefu, name="王芳", phone="13800000051")
    rung = ring(pbx, user=["agent1", "Agent2"], queue="hotline")
    assert rung.status_code == 200, rung.content
    assert rung.json()["state"] == "ringing"
    answered = pbx.post(URL, {"event": "answer", "callId": "c-1", "user": "agent1"})
    assert answered.status_code == 200, answered.content
    ended = pbx.post(
        URL,
        {
            "event": "hangup",
            "callId": "c-1",
            "cause": "normalClearing",
            "recording": "https://pbx.example/rec/c-1.wav",
        },
    )
    assert ended.status_code == 200, ended.content
    call = Call.objects.get()
    assert (call.centre, call.call_id, call.state) == (cs.kefu, "c-1", CallState.ENDED)
    assert call.started_at <= call.answered_at <= call.ended_at
    assert call.answered_by == cs.people["agent1"]
    assert call.customer == customer and call.number == "13800000051"
    assert call.agents == ["agent1", "Agent2"] and call.queue == "hotline"
    assert call.recording == "https://pbx.example/rec/c-1.wav"
    assert call.missed is False and call.cause == "normalClearing"
    assert ended.json()["answered_by_id"] == cs.people["agent1"].pk
    assert audits() == 3


def test_replayed_events_are_stored_once_and_audited_once__CS_1(cs, pbx):
    for _ in range(2):
        assert ring(pbx).status_code == 200
    first = pbx.post(URL, {"event": "answer", "callId": "c-1", "user": "agent1"})
    again = pbx.post(URL, {"event": "answer", "callId": "c-1", "user": "agent2"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()  # the same state, the first answer stands
    hang_up = {"event": "hangup", "callId": "c-1", "cause": "normalClearing"}
    assert pbx.post(URL, hang_up).json() == pbx.post(URL, hang_up).json()
    assert Call.objects.count() == 1
    assert Call.objects.get().answered_by == cs.people["agent1"]
    assert audits() == 3  # one per event that changed the call, none for the replays


def test_form_data_as_zammads_adapters_send_it_is_taken__CS_1(cs, pbx):
    client, headers = pbx.client, pbx.headers
    rung = client.post(
        "/api" + URL,
        {
            "event": "newCall",
            "callId": "f-1",
            "from": "+86 138-0000-0052",
            "to": "4008200365",
            "direction": "in",
            "user[]": ["agent1", "agent2"],
        },
        headers=headers,
    )  # multipart/form-data
    assert rung.status_code == 200, rung.content
    answered = client.post(
        "/api" + URL,
        "event=answer&callId=f-1&user=agent2",
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )
    assert answered.status_code == 200, answered.content
    call = Call.objects.get(call_id="f-1")
    assert call.from_number == call.number == "13800000052"
    assert call.agents == ["agent1", "agent2"]
    assert call.answered_by == cs.people["agent2"] and call.state == CallState.ANSWERED


def test_a_token_in_the_address_is_taken_like_zammads_endpoint__CS_1(cs):
    raw = token_of(make_person(cs.kefu, "pbx", Role.GATEWAY))
    answer = Api(Client()).post(
        f"{URL}?token={raw}",
        {"event": "newCall", "callId": "q-1", "from": "13800000053", "direction": "in"},
    )
    assert answer.status_code == 200, answer.content
    assert Call.objects.get().call_id == "q-1"


def test_an_answer_before_its_new_call_stores_the_call__CS_1(cs, pbx):
    answered = pbx.post(
        URL, {"event": "answer", "callId": "a-1", "from": "13800000054", "user": "agent1"}
    )
    assert answered.status_code == 200, answered.content
    late = ring(pbx, call_id="a-1", number="13800000054", queue="hotline")
    assert late.status_code == 200
    call = Call.objects.get()
    assert call.state == CallState.ANSWERED and call.answered_by == cs.people["agent1"]
    assert call.queue == "hotline"  # the late announcement fills in what the answer lacked


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event": "ringing", "callId": "x"}, "event"),
        ({"callId": "x"}, "event"),
        ({"event": "newCall", "direction": "in"}, "callId"),
        ({"event": "newCall", "callId": "x", "direction": "sideways"}, "direction"),
        ({"event": "newCall", "callId": "x"}, "direction"),
        ({"event": "hangup", "callId": "x", "cause": "exploded"}, "cause"),
        ({"event": "hangup", "callId": "x", "recording": "javascript:alert(1)"}, "recording"),
        ({"event": "newCall", "callId": "x", "direction": "in", "time": "yesterday"}, "time"),
        ({"event": "newCall", "callId": "x" * 251, "direction": "in"}, "callId"),
        ({"event": "newCall", "callId": "x", "direction": "in", "user": ["a"] * 21}, "user"),
    ],
)
def test_bad_events_are_refused_per_field_and_store_nothing(cs, pbx, body, field):
    answer = pbx.post(URL, body)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["fields"]
    assert Call.objects.count() == 0 and audits() == 0


def test_a_body_that_is_not_one_object_is_refused(cs, pbx):
    listed = pbx.post(URL, [{"event": "newCall"}])
    assert listed.status_code == 422 and "body" in listed.json()["fields"]
    text = pbx.client.post(
        "/api" + URL, "event newCall", content_type="text/plain", headers=pbx.headers
    )
    assert text.status_code == 415, text.content
    assert Call.objects.count() == 0


def test_a_time_outside_the_centres_window_is_refused__ORG_4(cs, pbx):
    answer = ring(pbx, time="2026-10-01T10:00:00+08:00")
    assert answer.status_code == 422
    assert answer.json()["rule"] == "ORG-4" and "time" in answer.json()["fields"]
    assert Call.objects.count() == 0
    inside = ring(pbx, time="2026-11-28T09:55:00")  # no zone: the centre's
    assert inside.status_code == 200, inside.content
    assert inside.json()["started_at"] == "2026-11-28T09:55:00+08:00"


def test_a_person_without_the_gateway_role_cannot_send_calls__ORG_3(cs):
    agent = Api(Client(), headers={"Authorization": f"Bearer {token_of(cs.people['agent1'])}"})
    answer = ring(agent)
    assert answer.status_code == 403 and answer.json()["rule"] == "ORG-3"
    assert Call.objects.count() == 0


def test_a_session_without_a_token_cannot_send_calls(cs):
    assert ring(cs.as_("admin")).status_code == 401
    assert Call.objects.count() == 0


def test_a_token_of_another_centre_cannot_touch_this_centres_calls__ORG_3(cs, pbx, pbx_b):
    ring(pbx, call_id="same")
    pbx.post(URL, {"event": "answer", "callId": "same", "user": "agent1"})
    # kefu2's system names kefu: not its centre
    named = pbx_b.post(URL, {"event": "hangup", "callId": "same", "centre": "kefu"})
    assert named.status_code == 404
    # its own call of the same id is its own centre's, kefu's stays as it was
    own = pbx_b.post(URL, {"event": "hangup", "callId": "same", "cause": "noAnswer"})
    assert own.status_code == 200
    kefu_call = Call.objects.get(centre=cs.kefu)
    assert kefu_call.state == CallState.ANSWERED and kefu_call.version == 2
    assert Call.objects.get(centre=cs.kefu2).missed is True
    # and the caller log of one centre shows no call of the other
    assert cs.as_("agent_b").get(f"/service/kefu/calls/{kefu_call.pk}").status_code == 404
    listed = cs.as_("agent_b").get("/service/kefu2/calls").json()
    assert [c["call_id"] for c in listed["items"]] == ["same"]
    assert listed["items"][0]["id"] != kefu_call.pk


# --- missed calls (CS-6) ---------------------------------------------------------------------


def missed(pbx, call_id="m-1", number="13800000055", cause="cancel"):
    ring(pbx, call_id=call_id, number=number, user=["agent1"])
    answer = pbx.post(URL, {"event": "hangup", "callId": call_id, "cause": cause})
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.mark.parametrize("cause", ["noAnswer", "cancel", "busy", "congestion", "notFound"])
def test_an_incoming_call_hung_up_unanswered_is_missed__CS_6(cs, pbx, cause):
    assert missed(pbx, cause=cause)["missed"] is True


@pytest.mark.parametrize("cause", ["forwarded", "normalClearing"])
def test_a_forwarded_or_cleared_call_is_not_missed__CS_6(cs, pbx, cause):
    assert missed(pbx, cause=cause)["missed"] is False


def test_an_unanswered_outgoing_call_is_not_missed__CS_6(cs, pbx):
    pbx.post(URL, {"event": "newCall", "callId": "o-1", "to": "13800000056", "direction": "out"})
    ended = pbx.post(URL, {"event": "hangup", "callId": "o-1", "cause": "noAnswer"})
    assert ended.json()["missed"] is False and ended.json()["number"] == "13800000056"


def test_a_missed_call_joins_the_morning_queue_by_itself__CS_6(cs, pbx):
    missed(pbx, call_id="m-1", number="13800000055")
    missed(pbx, call_id="m-2", number="13800000057")
    answered = ring(pbx, call_id="ok", number="13800000058")
    pbx.post(URL, {"event": "answer", "callId": "ok", "user": "agent1"})
    waiting = cs.as_("agent1").get("/service/kefu/calls?waiting=true")
    assert waiting.status_code == 200
    assert [c["call_id"] for c in waiting.json()["items"]] == ["m-2", "m-1"]  # newest first
    page = cs.as_("agent1").client.get(reverse("service:missed_calls", args=["kefu"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("138 0000 0055") < text.index("138 0000 0057")  # oldest first
    assert "138 0000 0058" not in text and answered.status_code == 200


def test_two_agents_taking_the_same_missed_call_the_second_is_told_who__CS_6(cs, pbx):
    call = missed(pbx)
    body = {"version": call["version"]}
    first = cs.as_("agent1").post(f"/service/kefu/calls/{call['id']}/take", body)
    assert first.status_code == 200, first.content
    assert first.json()["taken_by_id"] == cs.people["agent1"].pk
    second = cs.as_("agent2").post(f"/service/kefu/calls/{call['id']}/take", body)
    assert second.status_code == 409
    assert second.json()["rule"] == "CS-6" and "Agent1" in second.json()["message"]
    assert Call.objects.get().taken_by == cs.people["agent1"]
    assert AuditEvent.objects.filter(verb="call.take").count() == 1
    assert LogEntry.objects.filter(verb="call.take", centre=cs.kefu).count() == 1


def test_taking_needs_the_version_read__DESIGN_1(cs, pbx):
    call = missed(pbx)
    answer = cs.as_("agent1").post(f"/service/kefu/calls/{call['id']}/take", {})
    assert answer.status_code == 422 and answer.json()["rule"] == "DESIGN-1"
    stale = cs.as_("agent1").post(f"/service/kefu/calls/{call['id']}/take", {"version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Call.objects.get().taken_by is None


def test_an_answered_call_is_not_taken_from_the_queue__CS_6(cs, pbx):
    ring(pbx)
    call = pbx.post(URL, {"event": "answer", "callId": "c-1", "user": "agent1"}).json()
    answer = cs.as_("agent2").post(
        f"/service/kefu/calls/{call['id']}/take", {"version": call["version"]}
    )
    assert answer.status_code == 409 and answer.json()["rule"] == "CS-6"


def test_a_later_answered_call_of_the_same_number_settles_the_missed_one__CS_6(cs, pbx):
    first = missed(pbx, call_id="m-1", number="13800000055")
    ring(pbx, call_id="back", number="13800000055")
    pbx.post(URL, {"event": "answer", "callId": "back", "user": "agent2"})
    settled = Call.objects.get(call_id="m-1")
    assert settled.called_back_at is not None
    assert settled.callback == Call.objects.get(call_id="back")
    assert settled.version == first["version"] + 1
    waiting = cs.as_("agent1").get("/service/kefu/calls?waiting=true").json()
    assert waiting["items"] == []


def test_a_missed_call_of_an_earlier_day_stays_until_taken__CS_6(cs, pbx):
    missed(pbx, call_id="m-old", number="13800000055")
    Call.objects.filter(call_id="m-old").update(
        started_at="2026-11-27T01:00:00Z", ended_at="2026-11-27T01:01:00Z"
    )
    ring(pbx, call_id="back", number="13800000055")
    pbx.post(URL, {"event": "answer", "callId": "back", "user": "agent2"})
    assert Call.objects.get(call_id="m-old").called_back_at is None


def test_the_caller_log_lists_the_days_calls_with_filters_and_export(cs, pbx):
    missed(pbx, call_id="m-1", number="13800000055")
    ring(pbx, call_id="ok", number="13800000058")
    pbx.post(URL, {"event": "answer", "callId": "ok", "user": "agent1"})
    pbx.post(
        URL,
        {
            "event": "hangup",
            "callId": "ok",
            "cause": "normalClearing",
            "recording": "/spool/ok.wav",
        },
    )
    agent = cs.as_("agent1")
    day = agent.get("/service/kefu/calls?day=2026-11-28").json()
    assert {c["call_id"] for c in day["items"]} == {"m-1", "ok"}
    assert agent.get("/service/kefu/calls?day=2026-11-27").json()["items"] == []
    mine = agent.get(f"/service/kefu/calls?agent={cs.people['agent1'].pk}").json()
    assert [c["call_id"] for c in mine["items"]] == ["ok"]
    assert mine["items"][0]["answered_by_name"] == "Agent1"
    only_missed = agent.get("/service/kefu/calls?missed=true").json()
    assert [c["call_id"] for c in only_missed["items"]] == ["m-1"]
    export = agent.get("/service/kefu/calls.xlsx?day=2026-11-28")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    page = agent.client.get(reverse("service:call_log", args=["kefu"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "138 0000 0055" in text and "138 0000 0058" in text and "/spool/ok.wav" in text
    bad = agent.get("/service/kefu/calls?day=someday")
    assert bad.status_code == 422 and "day" in bad.json()["fields"]


def test_a_person_of_another_centre_reads_no_call_of_this_one__ORG_3(cs, pbx):
    call = missed(pbx)
    other = cs.as_("agent_b")
    assert other.get(f"/service/kefu/calls/{call['id']}").status_code == 404
    assert (
        other.post(
            f"/service/kefu/calls/{call['id']}/take", {"version": call["version"]}
        ).status_code
        == 404
    )
    assert (
        other.client.get(reverse("service:call_detail", args=["kefu", call["id"]])).status_code
        == 404
    )
    assert Call.objects.get().taken_by is None


def test_a_person_added_a_moment_ago_is_found_as_the_answering_agent(cs, pbx):
    """The gateway keeps each centre's people a few seconds; a new one is known at once."""
    ring(pbx)
    newcomer = make_person(cs.kefu, "newbie", Role.CS_AGENT)
    pbx.post(URL, {"event": "answer", "callId": "c-1", "user": "newbie"})
    assert Call.objects.get().answered_by == newcomer


# --- a day of calls: zhiban simulate --scenario calls -------------------------------------------


def test_simulate_sends_a_realistic_day_of_calls_once__CS_6(cs):
    until = "2026-11-28T09:58:00+08:00"
    out = io.StringIO()
    call_command("simulate_calls", centre="kefu", until=until, stdout=out)
    assert "simulate calls at kefu" in out.getvalue() and "refused 0" in out.getvalue()
    stored = Call.objects.filter(centre=cs.kefu)
    total = stored.count()
    assert 200 < total < 600  # a hotline's day at about ten agents
    assert 0 < stored.filter(missed=True).count() < total * 0.12  # about 5 % missed
    assert stored.filter(direction="out").exists()  # missed callers called back
    by_hour = Counter(timezone.localtime(c.started_at, cs.kefu.tz).hour for c in stored)
    assert by_hour[10] > 5 * by_hour[4]  # the morning peak
    agents = {"agent1", "agent2", "lead", None}
    assert set(stored.values_list("answered_by__username", flat=True)) <= agents
    ids = stored.values_list("call_id", flat=True)
    assert all(re.fullmatch(r"sim-1-\d{8}-\d{5}", c) for c in ids)
    audited = audits()
    call_command("simulate_calls", centre="kefu", until=until, stdout=io.StringIO())
    assert stored.count() == total and audits() == audited  # the same calls: nothing new


def test_zhiban_simulate_takes_the_calls_scenario__CS_6(cs):
    out = io.StringIO()
    call_command("simulate", scenario="calls", centre="kefu", count=3, stdout=out)
    assert "simulate calls at kefu (seed 1) → direct" in out.getvalue()
    assert Call.objects.filter(centre=cs.kefu, call_id__startswith="sim-1-").exists()


def test_simulate_writes_the_events_as_json_lines(cs):
    out = io.StringIO()
    call_command("simulate_calls", centre="kefu", count=5, hours=24, to="-", stdout=out)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert events and {e["event"] for e in events} <= {"newCall", "answer", "hangup"}
    assert all(cti.read(e).call_id == e["callId"] for e in events)
    assert Call.objects.count() == 0
