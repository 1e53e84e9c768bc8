"""Every message a zh-Hans reader can see is in Chinese (DESIGN rule 4): the API's field
validation messages (pydantic's English said again by type), the gateway's per-event
rejection reasons, ``zhiban audit``'s text and the 401 / 415 / 429 answers. A reader who
chose English reads them in English."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from zhiban.alarms import services as alarms
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org

from ..conftest import make_person

DEADLINES = "/centres/alpha/deadlines"
# what pydantic says in English; none of it may reach a reader
PYDANTIC = re.compile(r"Field required|Input should|String should|should have|Value error")


def english(person):
    return org.person_update_own(actor=person, source=Source.CLI, changes={"language": "en"})


def bad_deadline(client) -> dict:
    r = client.post(DEADLINES, {"object_id": "x", "name": "长" * 4001, "due_at": "明天"})
    assert r.status_code == 422, r.content
    return r.json()


# --- the API's field validation messages ---------------------------------------------------------


def test_field_validation_messages_are_in_chinese_for_a_zh_hans_reader__DESIGN_4(world, api):
    body = bad_deadline(api(world.people["chief_a"]))
    assert body["message"] == "请更正标出的字段。"
    assert body["fields"] == {
        "object_type": ["此项必填。"],
        "object_id": ["请输入整数。"],
        "name": ["最多输入 4000 个字符。"],
        "due_at": ["请输入日期和时间，例如 2026-11-28T09:30:00+08:00。"],
    }
    low = api(world.people["chief_a"]).get("/notifications?limit=0")
    assert low.status_code == 422 and low.json()["fields"] == {"limit": ["请输入不小于 1 的值。"]}
    high = api(world.people["chief_a"]).get("/notifications?limit=501&unread=maybe")
    assert high.json()["fields"] == {
        "limit": ["请输入不大于 500 的值。"],
        "unread": ["请填写 true 或 false。"],
    }


def test_field_validation_messages_are_in_english_for_an_english_reader__DESIGN_4(world, api):
    body = bad_deadline(api(english(world.people["chief_a"])))
    assert body["fields"]["object_type"] == ["This field is required."]
    assert body["fields"]["name"] == ["Enter at most 4000 characters."]
    assert not PYDANTIC.search(json.dumps(body)), body


def test_a_body_that_is_not_json_is_told_in_chinese__DESIGN_4(world, web):
    r = web(world.people["chief_a"]).post(f"/api{DEADLINES}", "{", "application/json")
    assert r.status_code == 422 and r.json()["fields"] == {"body": ["请求正文无法按 JSON 读取。"]}


# --- the gateway's rejection reasons (INC-1) -----------------------------------------------------


@pytest.fixture
def gateway_token(world, api):
    """token(person language) → a token of alpha's gateway account, for the source alpha-scada."""
    alarms.alarm_source_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "alpha-scada", "name": "阿尔法监控系统", "kind": "scada", "active": True},
    )

    def token(language: str = "zh-hans") -> str:
        person = make_person(world.alpha, f"gw-{language}", Role.GATEWAY)
        if language == "en":
            person = english(person)
        r = api(person).post("/tokens", {"name": "网关", "sources": ["alpha-scada"]})
        assert r.status_code == 201, r.content
        return r.json()["token"]

    return token


def rejected(token: str) -> list[str]:
    at = timezone.localtime().replace(tzinfo=None).isoformat()  # no time zone
    items = [
        5,
        {"source": "alpha-scada", "id": "e1", "at": at, "site": "S1", "signal": "越限"},
        {"source": "alpha-scada", "id": "e2", "at": "昨天", "site": "S1", "signal": "越限"}
        | {"class": "limit", "seq": 0},
    ]
    r = Client(headers={"authorization": f"Bearer {token}"}).post(
        "/api/events", json.dumps(items), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["rejected"] == 3, r.content
    return [item["reason"] for item in r.json()["items"]]


def test_the_gateways_rejection_reasons_are_in_the_token_persons_language__INC_1(gateway_token):
    not_object, naive, bad = rejected(gateway_token())
    assert not_object == "每条事件须为 JSON 对象"
    assert naive.startswith("at: 时间须带时区，例如 +08:00。; class: 此项必填。"), naive
    assert (
        bad == "seq: 请输入不小于 1 的值。; at: 请输入日期和时间，例如 2026-11-28T09:30:00+08:00。"
    )
    english_reasons = rejected(gateway_token("en"))
    assert english_reasons[0] == "an event must be a JSON object"
    assert "class: This field is required." in english_reasons[1]
    assert not PYDANTIC.search(" ".join(english_reasons)), english_reasons


# --- zhiban audit ---------------------------------------------------------------------------------


def audit(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):  # whatever the caller had active
        call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_audit_speaks_the_installations_language_or_the_one_asked_for__ORG_4(db):
    assert audit("verify").startswith("审计链完好 (OK)：已校验 0 条记录")
    assert audit("checkpoint").startswith("检查点已写入：#0")
    assert audit("verify", "--language", "en").startswith("audit chain OK: 0 events")
    assert audit("checkpoint", "--language", "en").startswith("checkpoint written: #0")


# --- 401, 415, 429 --------------------------------------------------------------------------------


def test_a_401_is_in_the_callers_language_default_chinese__DESIGN_4(db):
    said = {
        language: Client().get("/api/me", HTTP_ACCEPT_LANGUAGE=language).json()["message"]
        for language in ("", "zh-CN,zh;q=0.9", "en-US,en;q=0.9")
    }
    assert (
        said[""]
        == said["zh-CN,zh;q=0.9"]
        == "请先登录，或发送有效的令牌（Authorization: Bearer zb_…）。"
    )
    assert said["en-US,en;q=0.9"] == "Sign in, or send a valid token (Authorization: Bearer zb_…)."


def test_a_415_is_in_the_persons_language__DESIGN_4(world, web):
    chief = world.people["chief_a"]
    r = web(chief).post(f"/api{DEADLINES}", "x", "text/plain")
    assert (
        r.status_code == 415 and r.json()["message"] == "请以内容类型 application/json 发送 JSON。"
    )
    english(chief)
    r = web(chief).post(f"/api{DEADLINES}", "x", "text/plain")
    assert r.json()["message"] == "Send JSON with the content type application/json."


def test_a_429_is_in_the_token_persons_language__DESIGN_4(gateway_token, settings):
    settings.ZHIBAN_API_TOKEN_RATE = "1/min"
    for language, text in [
        ("zh-hans", "此令牌的请求过多，请稍后再发送。"),
        ("en", "Too many requests with this token; send again in a moment."),
    ]:
        client = Client(headers={"authorization": f"Bearer {gateway_token(language)}"})
        client.get("/api/me", HTTP_ACCEPT_LANGUAGE="zh-CN")
        r = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert r.status_code == 429 and r.json()["message"] == text, r.content
