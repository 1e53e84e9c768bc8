"""The customer-service centre's monthly report (RPT-1, RPT-4): contacts by channel and
category, first-response compliance, complaint handling time, return-visit completion and
satisfaction, each number checked against the records made through the service API on the
fixed clock (2026-11-28 10:00 Shanghai); none of the power centre's words."""

from __future__ import annotations

import re
import statistics
from datetime import datetime

import pytest
from django.utils import translation

from zhiban.core.figures import by_key
from zhiban.reports.monthly import service as service_report
from zhiban.service.models import Case, CaseState
from zhiban.service.selectors import figures as service

from ..clock import SHANGHAI, ago
from ..service.conftest import _on_the_fixed_clock, cs  # noqa: F401 (fixtures)
from ..service.test_complaints import SERVICE, _close, _complaint, _reply
from ..service.test_intake import _gateway
from ..service.test_surveys import _call, _campaign, _customer, _members, _question
from .words import POWER_WORDS, texts

START = datetime(2026, 11, 1, tzinfo=SHANGHAI)
END = datetime(2026, 12, 1, tzinfo=SHANGHAI)
C = "/service/kefu/contacts"


@pytest.fixture
def month(cs):  # noqa: F811
    """Four contacts taken by agents (two of them complaints, closed after five and two
    hours), one web lead left waiting for its first response, and a members campaign of three
    customers: two reached with scores 5 and 3, one not answering."""
    agent = cs.as_("agent1")
    for phone, channel, category in [
        ("13900000001", "phone", "consultation"),
        ("13900000002", "hotline", "suggestion"),
    ]:
        body = {"phone": phone, "name": "顾客", "channel": channel, "category": category}
        answer = agent.post(C, body | {"content": "来电"})
        assert answer.status_code == 201, answer.content
    for hours, phone in [(5, "13900000003"), (2, "13900000004")]:
        row = _complaint(cs, SERVICE, phone=phone, at=ago(hours=hours))
        assert _reply(agent, row, solved=True).status_code == 200
        assert _close(agent, row).status_code == 200
    web = _gateway(cs).post(
        C,
        {
            "phone": "13900000005",
            "name": "网上客户",
            "channel": "web",
            "category": "consultation",
            "content": "想了解会员卡",
        },
    )
    assert web.status_code == 201, web.content

    for n, name in enumerate(["王芳", "李强", "赵敏"]):
        _customer(cs, name, f"1380000000{n}", "吴中区")
    campaign = _campaign(cs)
    score = _question(cs, campaign, "您对送货服务满意吗？")
    members = _members(cs, campaign)
    for name, result, given in [("王芳", "reached", 5), ("李强", "reached", 3)]:
        answers = [{"question": score["id"], "score": given}]
        assert _call(cs, members[name], result, answers).status_code == 200
    assert _call(cs, members["赵敏"], "no_answer").status_code == 200
    return cs


def test_service_figures_count_the_records__RPT_1(month):
    figures = by_key(service.period_figures(centre=month.kefu, start=START, end=END))
    closed = Case.objects.filter(centre=month.kefu, state=CaseState.CLOSED)
    hours = [(c.closed_at - c.opened_at).total_seconds() / 3600 for c in closed]
    assert len(hours) == 2
    expected = {
        "contacts": 5,
        "contacts_phone": 1,
        "contacts_hotline": 3,
        "contacts_visit": 0,
        "contacts_web": 1,
        "contacts_chat": 0,
        "cases_opened": 5,
        "first_response_in_time": 80.0,  # 4 of 5: the web lead still waits
        "complaints": 2,
        "complaints_closed": 2,
        "complaint_hours_mean": round(statistics.fmean(hours), 1),
        "complaint_hours_median": round(statistics.median(hours), 1),
        "return_visits": 3,
        "return_visits_reached": 2,
        "return_visit_completion": 66.7,
        "survey_scores": 2,
        "satisfaction_average": 4.0,
        "satisfied_share": 50.0,
    }
    assert {key: f.value for key, f in figures.items()} == expected
    assert 3.4 < expected["complaint_hours_mean"] < 3.7  # (5 + 2) / 2, the clock running
    assert service.contacts_by_category(centre=month.kefu, start=START, end=END) == {
        "consultation": 2,
        "complaint": 2,
        "order": 0,
        "suggestion": 1,
        "service_request": 0,
    }
    assert service.scores_by_value(centre=month.kefu, start=START, end=END) == {
        1: 0,
        2: 0,
        3: 1,
        4: 0,
        5: 1,
    }
    assert service.period_figures(centre=month.kefu2, start=START, end=END)[0].value == 0


def test_service_month_sections_tables_and_charts__RPT_1_RPT_4(month):
    sections = service_report.build(month.kefu, START, END)
    assert [s.key for s in sections] == [
        "contacts",
        "first_response",
        "complaints",
        "return_visits",
        "satisfaction",
    ]
    shown = {f.key: f.value for s in sections for f in s.figures}
    assert shown["contacts"] == 5 and shown["first_response_in_time"] == 80.0
    assert shown["return_visit_completion"] == 66.7 and shown["satisfied_share"] == 50.0
    tables = {t.key: t for s in sections for t in s.tables}
    assert [row[1] for row in tables["contacts-channels"].rows] == [1, 3, 0, 1, 0]
    assert [row[1] for row in tables["contacts-categories"].rows] == [2, 2, 0, 1, 0]
    assert tables["satisfaction-scores"].rows == [[1, 0], [2, 0], [3, 1], [4, 0], [5, 1]]
    charts = {c["id"]: c for s in sections for c in s.charts}
    assert set(charts) == {"contacts-days", "contacts-categories", "satisfaction-scores"}
    per_day = charts["contacts-days"]["option"]["series"]
    assert sum(sum(s["data"]) for s in per_day) == 5
    assert [s["data"][27] for s in per_day] == [1, 3, 0, 1, 0]  # all on the 28th


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_service_report_has_no_power_words__RPT_1(month, language):
    """Each centre kind sees its own words: no tickets, trips or substations at a call centre."""
    with translation.override(language):
        words = texts(service_report.build(month.kefu, START, END)).lower()
    assert not [w for w in POWER_WORDS if w in words]
    if language == "zh-hans":  # every title, label and header in Chinese
        assert not re.findall(r"[a-z]{3,}", words)


def test_service_month_over_the_api__RPT_1(month):
    answer = month.as_("supervisor").get("/centres/kefu/reports/monthly/2026-11")
    assert answer.status_code == 200, answer.content
    figures = {(s["key"], f["key"]): f for s in answer.json()["sections"] for f in s["figures"]}
    assert figures[("contacts", "contacts")]["value"] == 5
    assert figures[("first_response", "first_response_in_time")]["value"] == 80.0
    assert figures[("satisfaction", "satisfaction_average")]["value"] == 4.0
    assert figures[("contacts", "contacts")]["previous"] is None  # before the centre existed
