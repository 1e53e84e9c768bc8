"""``POST /api/service/calls`` through a real ``zhiban serve``: many telephone systems, each
with its own token, send one event per request; the requests share transactions in front of
Django (``service/cti_gateway.py``), each is answered as Django answers it, each call is stored
once and each change audited once; what the grouped path does not take, Django answers."""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from ..alarms.test_gateway import SECURITY_HEADERS, read
from ..fresh import fresh_env, live_server, zhiban

CLIENTS = 16
SETUP = r"""
import json
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org
centre = org.centre_create(actor=CLI, source=Source.CLI, data={"code": "kefu", "name": "客服",
    "kind": "customer_service", "time_zone": "Asia/Shanghai", "active": True})
def person(login, role):
    return org.person_create(actor=CLI, source=Source.CLI, centre=centre, data={
        "username": login, "name": login.title(), "password": "Test#pass-2026", "role": role,
        "team": "", "post": "", "phone": "", "employee_no": "", "email": "",
        "language": "en" if login == "pbx1" else "zh-hans", "is_active": True})
person("agent1", Role.CS_AGENT)
person("agent2", Role.CS_AGENT)
tokens = [org.api_token_create(actor=person(f"pbx{n}", Role.GATEWAY), source=Source.CLI,
    name="pbx")[1] for n in range(CLIENTS)]
print(json.dumps(tokens))
""".replace("CLIENTS", str(CLIENTS))


@pytest.fixture(scope="module")
def served():
    with fresh_env(start="migrated") as env:
        made = zhiban(env, "shell", "-v", "0", "-c", SETUP)
        assert made.returncode == 0, made.stderr
        tokens = json.loads(made.stdout.strip().splitlines()[-1])
        with live_server(env, "--no-worker") as base:
            yield env, base, tokens


def post(base, body: bytes, *, token=None, kind="application/json", query="", headers=None):
    request = urllib.request.Request(
        f"{base}/api/service/calls{query}",
        data=body,
        method="POST",
        headers={"Content-Type": kind, **(headers or {})},
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def test_many_systems_single_events_share_transactions_each_stored_and_audited_once__CS_1(
    served,
):
    env, base, tokens = served
    run = uuid.uuid4().hex[:8]

    def one_call(n: int) -> list[tuple[int, dict]]:
        token, call_id = tokens[n % CLIENTS], f"{run}-{n}"
        events = [
            {
                "event": "newCall",
                "callId": call_id,
                "from": f"139{n:08d}",
                "to": "4008200365",
                "direction": "in",
                "user": ["agent1", "agent2"],
            },
            {"event": "answer", "callId": call_id, "user": "agent1"},
            {"event": "hangup", "callId": call_id, "cause": "normalClearing"},
        ]
        answers = []
        for event in events:
            for _twice in range(2):  # every event replayed once
                status, _headers, body = post(base, json.dumps(event).encode(), token=token)
                answers.append((status, body))
        return answers

    calls = list(range(48))
    random.Random(run).shuffle(calls)
    with ThreadPoolExecutor(CLIENTS) as pool:
        answered = list(pool.map(one_call, calls))
    for answers in answered:
        assert [status for status, _ in answers] == [200] * 6, answers
        states = [body["state"] for _status, body in answers]
        assert states == ["ringing", "ringing", "answered", "answered", "ended", "ended"]
        assert answers[-1][1]["missed"] is False and answers[-1][1]["version"] == 3
    rows = read(
        env,
        "SELECT state, answered_by_id IS NOT NULL, version FROM service_call WHERE call_id LIKE %s",
        f"{run}-%",
    )
    assert sorted(rows) == [("ended", True, 3)] * 48
    audits = read(
        env,
        "SELECT a.request_id FROM core_auditevent a JOIN service_call c "
        "ON a.object_type = 'service.call' AND a.object_id = CAST(c.id AS TEXT) "
        "WHERE c.call_id LIKE %s",
        f"{run}-%",
    )
    assert len(audits) == 48 * 3  # one per change, none for the replays
    assert len({request_id for (request_id,) in audits}) < len(audits)  # shared transactions


def test_the_grouped_answer_is_djangos__CS_1_ORG_3(served):
    env, base, tokens = served
    run = uuid.uuid4().hex[:8]
    event = {"event": "newCall", "callId": f"{run}-x", "from": "13800000051", "direction": "in"}
    status, headers, body = post(
        base, json.dumps(event).encode(), token=tokens[0], headers={"X-Request-ID": run * 2}
    )
    assert status == 200 and body["call_id"] == f"{run}-x"
    assert headers["x-request-id"] == run * 2 and set(headers) >= SECURITY_HEADERS
    # form data, the token in the address: as Zammad's adapters send it
    form = urllib.parse.urlencode({"event": "answer", "callId": f"{run}-x", "user": "agent2"})
    status, _headers, body = post(
        base, form.encode(), kind="application/x-www-form-urlencoded", query=f"?token={tokens[1]}"
    )
    assert status == 200 and body["state"] == "answered"
    # a bad event: 422 per field, in the sender's language (pbx1's is English)
    bad = json.dumps({"event": "ringing", "callId": f"{run}-y"}).encode()
    status, _headers, body = post(base, bad, token=tokens[1])
    assert status == 422 and set(body) == {"code", "message", "rule", "fields"}
    assert "Unknown event" in body["fields"]["event"][0]
    status, _headers, body = post(base, bad, token=tokens[0])
    assert status == 422 and "未知事件" in body["fields"]["event"][0]
    # Django answers what the grouped path does not take: no token, an unknown one, multipart
    assert post(base, json.dumps(event).encode())[0] == 401
    assert post(base, json.dumps(event).encode(), token="zb_nobody")[0] == 401
    boundary = "CallBoundary"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="event"\r\n\r\nhangup\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="callId"\r\n\r\n{run}-x\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="cause"\r\n\r\nnormalClearing\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    status, _headers, body = post(
        base, multipart, token=tokens[2], kind=f"multipart/form-data; boundary={boundary}"
    )
    assert status == 200 and body["state"] == "ended"
    assert read(env, "SELECT COUNT(*) FROM service_call WHERE call_id LIKE %s", f"{run}-%") == [
        (1,)
    ]
