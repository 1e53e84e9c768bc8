"""Satisfaction surveys (CS-8): questions per campaign (a score 1–5 or a choice, free text
beside each), answers recorded on a reached call and checked, and the results per period,
agent, product and region as JSON, charts and tables, and .xlsx with a sheet per table."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhiban.core.models import AuditEvent
from zhiban.service.models import (
    CallAttempt,
    CampaignMember,
    Case,
    Order,
    OrderState,
    SurveyAnswer,
    SurveyQuestion,
)

from ..clock import SHANGHAI

S = "/service/kefu"
KEFU2 = "/service/kefu2"


# --- arrange --------------------------------------------------------------------------------


def _customer(cs, name, phone, region):
    r = cs.as_("supervisor").post(
        f"{S}/customers", {"name": name, "phone": phone, "region": region, "is_member": True}
    )
    assert r.status_code == 201, r.content
    return r.json()


def _campaign(cs, name="十一月会员回访"):
    r = cs.as_("supervisor").post(f"{S}/campaigns", {"name": name, "rule": "members"})
    assert r.status_code == 201, r.content
    return r.json()


def _question(cs, campaign, text, kind="score", choices=(), login="supervisor", **extra):
    body = {"text": text, "kind": kind, "choices": list(choices), **extra}
    r = cs.as_(login).post(f"{S}/campaigns/{campaign['id']}/questions", body)
    assert r.status_code == 201, r.content
    return r.json()


def _members(cs, campaign) -> dict[str, dict]:
    """The campaign's entries by customer name, as the call list's API shows them."""
    entries = CampaignMember.objects.filter(campaign_id=campaign["id"]).select_related("customer")
    return {
        m.customer.name: cs.as_("supervisor").get(f"{S}/members/{m.pk}").json() for m in entries
    }


def _call(cs, member, result="reached", answers=(), login=None):
    login = login or _login_of(cs, member["agent_id"])
    version = CampaignMember.objects.get(pk=member["id"]).version
    body = {"version": version, "result": result, "answers": list(answers)}
    return cs.as_(login).post(f"{S}/members/{member['id']}/calls", body)


def _login_of(cs, person_id) -> str:
    return next(login for login, p in cs.people.items() if p.pk == person_id)


def _delivered(customer_id, product, at):
    """An order of the customer delivered at ``at`` (arranged in the database: the orders'
    own flow is tested with the orders)."""
    customer = CampaignMember.customer.field.related_model.objects.get(pk=customer_id)
    case = Case.objects.create(
        centre=customer.centre,
        number=f"GD-{customer_id}-{product}-{at:%m%d%H%M}",
        customer=customer,
        channel="phone",
        category="order",
        subject=f"订货 {product}",
        opened_at=at - timedelta(days=2),
        state="closed",
    )
    return Order.objects.create(
        centre=customer.centre,
        number=f"DH-{customer_id}-{product}-{at:%m%d%H%M}",
        case=case,
        customer=customer,
        product=product,
        quantity=1,
        unit_price=10,
        address="苏州",
        region=customer.region,
        customer_type=customer.customer_type,
        state=OrderState.DELIVERED,
        delivered_at=at,
        taken_at=at - timedelta(days=2),
    )


@pytest.fixture
def survey(cs):
    """Three member customers, a members campaign over them and its two questions."""
    customers = [
        _customer(cs, "王芳", "13800000001", "吴中区"),
        _customer(cs, "李强", "13800000002", "吴中区"),
        _customer(cs, "赵敏", "13800000003", "姑苏区"),
    ]
    campaign = _campaign(cs)
    score = _question(cs, campaign, "您对送货服务满意吗？")
    choice = _question(cs, campaign, "您从哪里知道我们？", "choice", ["电视", "朋友", "网店"])
    return {
        "campaign": campaign,
        "customers": {c["name"]: c for c in customers},
        "score": score,
        "choice": choice,
        "members": _members(cs, campaign),
    }


# --- questions ------------------------------------------------------------------------------


def test_questions_added_in_order_with_score_or_choices__CS_8(cs, survey):
    campaign = survey["campaign"]
    third = _question(cs, campaign, "还会再买吗？", "choice", ["会", "不会"], login="lead")

    listed = cs.as_("agent1").get(f"{S}/campaigns/{campaign['id']}/questions")

    assert listed.status_code == 200
    assert [(q["position"], q["text"], q["kind"], q["choices"]) for q in listed.json()] == [
        (1, "您对送货服务满意吗？", "score", []),
        (2, "您从哪里知道我们？", "choice", ["电视", "朋友", "网店"]),
        (3, "还会再买吗？", "choice", ["会", "不会"]),
    ]
    assert third["version"] == 1 and third["answer_count"] == 0


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        ("choice", ["只有一个"]),
        ("choice", [f"选项{n}" for n in range(9)]),
        ("choice", ["会", "会"]),
        ("score", ["好", "坏"]),
    ],
)
def test_question_with_bad_choices_refused__CS_8(cs, survey, kind, choices):
    campaign = survey["campaign"]
    r = cs.as_("supervisor").post(
        f"{S}/campaigns/{campaign['id']}/questions",
        {"text": "坏问题", "kind": kind, "choices": choices},
    )

    assert r.status_code == 422, r.content
    assert r.json()["rule"] == "CS-8"
    assert list(r.json()["fields"]) == ["choices"]
    assert "CS-8" in r.json()["fields"]["choices"][0]
    assert SurveyQuestion.objects.filter(campaign_id=campaign["id"]).count() == 2


def test_agent_may_not_add_a_question__ORG_3(cs, survey):
    r = cs.as_("agent1").post(
        f"{S}/campaigns/{survey['campaign']['id']}/questions", {"text": "?", "kind": "score"}
    )
    assert r.status_code == 403
    assert SurveyQuestion.objects.filter(campaign_id=survey["campaign"]["id"]).count() == 2


def test_question_changed_and_removed_while_unanswered__CS_8(cs, survey):
    supervisor, choice = cs.as_("supervisor"), survey["choice"]
    changed = supervisor.patch(
        f"{S}/survey-questions/{choice['id']}",
        {"version": choice["version"], "choices": ["电视", "朋友", "网店", "报纸"]},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["choices"] == ["电视", "朋友", "网店", "报纸"]
    assert changed.json()["version"] == 2

    stale = supervisor.post(f"{S}/survey-questions/{choice['id']}/remove", {"version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"

    removed = supervisor.post(f"{S}/survey-questions/{choice['id']}/remove", {"version": 2})
    assert removed.status_code == 204
    assert not SurveyQuestion.objects.filter(pk=choice["id"]).exists()
    assert AuditEvent.objects.filter(verb="survey.question_remove").count() == 1


def test_question_answered_stays_as_asked__CS_8(cs, survey):
    member = survey["members"]["王芳"]
    score = survey["score"]
    assert _call(cs, member, answers=[{"question": score["id"], "score": 4}]).status_code == 200

    supervisor = cs.as_("supervisor")
    changed = supervisor.patch(
        f"{S}/survey-questions/{score['id']}", {"version": score["version"], "text": "改过的问题"}
    )
    removed = supervisor.post(
        f"{S}/survey-questions/{score['id']}/remove", {"version": score["version"]}
    )

    for refused in (changed, removed):
        assert refused.status_code == 409, refused.content
        assert (refused.json()["code"], refused.json()["rule"]) == ("answered", "CS-8")
    question = SurveyQuestion.objects.get(pk=score["id"])
    assert (question.text, question.version) == ("您对送货服务满意吗？", 1)


# --- answers --------------------------------------------------------------------------------


def test_answers_recorded_on_the_reached_call__CS_8(cs, survey):
    member = survey["members"]["王芳"]
    r = _call(
        cs,
        member,
        answers=[
            {"question": survey["score"]["id"], "score": 5, "text": "送得很快"},
            {"question": survey["choice"]["id"], "choice": "朋友"},
        ],
    )
    assert r.status_code == 200, r.content

    answers = cs.as_("lead").get(f"{S}/members/{member['id']}/answers").json()

    assert answers["result"] == "reached"
    assert [(a["question"], a["score"], a["choice"], a["text"]) for a in answers["answers"]] == [
        ("您对送货服务满意吗？", 5, "", "送得很快"),
        ("您从哪里知道我们？", None, "朋友", ""),
    ]
    assert {a["by_id"] for a in answers["answers"]} == {member["agent_id"]}


def test_score_six_refused_naming_the_question__CS_8(cs, survey):
    member = survey["members"]["王芳"]
    score = survey["score"]

    r = _call(cs, member, answers=[{"question": score["id"], "score": 6}])

    assert r.status_code == 422, r.content
    body = r.json()
    assert body["rule"] == "CS-8"
    assert list(body["fields"]) == [f"q{score['id']}_score"]
    assert "您对送货服务满意吗？" in body["fields"][f"q{score['id']}_score"][0]
    entry = CampaignMember.objects.get(pk=member["id"])  # the call is not half-written
    assert (entry.result, entry.attempts, entry.version) == ("pending", 0, member["version"])
    assert not CallAttempt.objects.filter(member=entry).exists()
    assert not SurveyAnswer.objects.exists()


def test_choice_not_offered_and_question_of_another_campaign_refused__CS_8(cs, survey):
    other = _campaign(cs, "另一个回访")
    foreign = _question(cs, other, "别的问题")
    member = survey["members"]["李强"]

    r = _call(
        cs,
        member,
        answers=[
            {"question": survey["choice"]["id"], "choice": "报纸"},
            {"question": foreign["id"], "score": 3},
        ],
    )

    assert r.status_code == 422, r.content
    fields = r.json()["fields"]
    assert r.json()["rule"] == "CS-8"
    assert "报纸" in fields[f"q{survey['choice']['id']}_choice"][0]
    assert f"q{foreign['id']}" in fields
    assert CampaignMember.objects.get(pk=member["id"]).result == "pending"
    assert not SurveyAnswer.objects.exists()


def test_answers_on_a_call_not_reached_refused__CS_8(cs, survey):
    member = survey["members"]["赵敏"]

    r = _call(cs, member, "no_answer", [{"question": survey["score"]["id"], "score": 4}])

    assert r.status_code == 409, r.content
    assert (r.json()["code"], r.json()["rule"]) == ("not_reached", "CS-8")
    entry = CampaignMember.objects.get(pk=member["id"])
    assert (entry.result, entry.attempts) == ("pending", 0)
    assert not SurveyAnswer.objects.exists()

    assert _call(cs, member, "no_answer").status_code == 200  # the call alone is recorded
    alone = cs.as_(_login_of(cs, member["agent_id"])).post(
        f"{S}/members/{member['id']}/answers",
        {
            "version": entry.version + 1,
            "answers": [{"question": survey["score"]["id"], "score": 4}],
        },
    )
    assert alone.status_code == 409 and alone.json()["rule"] == "CS-8"
    assert not SurveyAnswer.objects.exists()


def test_answering_again_replaces_the_answers_audited__CS_8(cs, survey):
    member = survey["members"]["王芳"]
    score, choice = survey["score"], survey["choice"]
    first = [{"question": score["id"], "score": 2}, {"question": choice["id"], "choice": "电视"}]
    assert _call(cs, member, answers=first).status_code == 200
    version = CampaignMember.objects.get(pk=member["id"]).version

    again = cs.as_(_login_of(cs, member["agent_id"])).post(
        f"{S}/members/{member['id']}/answers",
        {
            "version": version,
            "answers": [
                {"question": score["id"], "score": 4, "text": "其实还行"},
                {"question": choice["id"]},  # given empty: its answer goes
            ],
        },
    )

    assert again.status_code == 200, again.content
    assert again.json()["version"] == version + 1
    assert [(a["score"], a["choice"], a["text"]) for a in again.json()["answers"]] == [
        (4, "", "其实还行")
    ]
    event = AuditEvent.objects.filter(verb="survey.answers").order_by("-seq").first()
    assert event.before["survey_answers"] == "您对送货服务满意吗？: 2；您从哪里知道我们？: 电视"
    assert event.after["survey_answers"] == "您对送货服务满意吗？: 4 “其实还行”"
    timeline = cs.as_("admin").client.get("/c/kefu/audit/")
    assert timeline.status_code == 200 and "其实还行" in timeline.content.decode()
    stale = cs.as_("lead").post(
        f"{S}/members/{member['id']}/answers",
        {"version": version, "answers": [{"question": score["id"], "score": 1}]},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert SurveyAnswer.objects.get(question_id=score["id"]).score == 4


def test_another_agent_may_not_answer_for_the_entry__ORG_3(cs, survey):
    member = survey["members"]["王芳"]
    assert (
        _call(cs, member, answers=[{"question": survey["score"]["id"], "score": 3}]).status_code
        == 200
    )
    other = "agent2" if _login_of(cs, member["agent_id"]) == "agent1" else "agent1"
    version = CampaignMember.objects.get(pk=member["id"]).version

    r = cs.as_(other).post(
        f"{S}/members/{member['id']}/answers",
        {"version": version, "answers": [{"question": survey["score"]["id"], "score": 1}]},
    )

    assert r.status_code == 403
    assert SurveyAnswer.objects.get().score == 3


# --- results --------------------------------------------------------------------------------


def _answer_all(cs, survey, scores: dict, choices: dict):
    for name, member in survey["members"].items():
        answers = [{"question": survey["score"]["id"], "score": scores[name]}]
        if choices.get(name):
            answers.append({"question": survey["choice"]["id"], "choice": choices[name]})
        r = _call(cs, member, answers=answers)
        assert r.status_code == 200, r.content


def _rows(body, key) -> dict:
    """label → (average of the score question, its answers, shares of the choice question)."""
    return {
        row["label"]: (
            row["cells"][0]["average"],
            row["cells"][0]["answers"],
            {c["choice"]: c["share"] for c in row["cells"][1]["choices"]},
        )
        for row in body[key]
    }


def test_results_per_agent_product_and_region__CS_8(cs, survey):
    customers, now = survey["customers"], timezone.now()
    _delivered(customers["王芳"]["id"], "纯牛奶", now - timedelta(days=10))
    _delivered(customers["王芳"]["id"], "酸奶", now - timedelta(days=20))  # not the latest
    _delivered(customers["李强"]["id"], "酸奶", now - timedelta(days=9))
    _delivered(customers["李强"]["id"], "奶粉", now + timedelta(hours=2))  # after the call
    _answer_all(
        cs,
        survey,
        scores={"王芳": 5, "李强": 2, "赵敏": 3},
        choices={"王芳": "朋友", "李强": "朋友", "赵敏": "电视"},
    )

    r = cs.as_("agent1").get(f"{S}/surveys/results?campaign={survey['campaign']['id']}")

    assert r.status_code == 200, r.content
    body = r.json()
    assert body["calls"] == 3
    score, choice = body["questions"]
    assert (score["text"], score["total"]["answers"]) == ("您对送货服务满意吗？", 3)
    assert score["total"]["average"] == pytest.approx(10 / 3)
    assert {c["choice"]: c["count"] for c in choice["total"]["choices"]} == {
        "电视": 1,
        "朋友": 2,
        "网店": 0,
    }
    products = {label: (avg, n) for label, (avg, n, _s) in _rows(body, "by_product").items()}
    assert products == {"纯牛奶": (5.0, 1), "酸奶": (2.0, 1), "—": (3.0, 1)}
    regions = _rows(body, "by_region")
    assert regions["吴中区"][:2] == (3.5, 2)
    assert regions["吴中区"][2] == {"电视": 0.0, "朋友": 1.0, "网店": 0.0}
    assert regions["姑苏区"] == (3.0, 1, {"电视": 1.0, "朋友": 0.0, "网店": 0.0})
    expected: dict[str, list[int]] = {}
    scores = {"王芳": 5, "李强": 2, "赵敏": 3}
    for name, member in survey["members"].items():
        expected.setdefault(member["agent_name"], []).append(scores[name])
    agents = {label: (avg, n) for label, (avg, n, _s) in _rows(body, "by_agent").items()}
    assert agents == {a: (pytest.approx(sum(v) / len(v)), len(v)) for a, v in expected.items()}
    assert len(agents) == 2  # the members went to both agents


def test_results_by_month_and_by_week__CS_8(cs, fixed_clock):
    fixed_clock.move_to(datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI))
    _customer(cs, "王芳", "13800000001", "吴中区")
    october = _campaign(cs, "十月会员回访")
    question = _question(cs, october, "您对送货服务满意吗？")
    (member,) = _members(cs, october).values()
    assert _call(cs, member, answers=[{"question": question["id"], "score": 2}]).status_code == 200

    fixed_clock.move_to(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI))
    november = _campaign(cs, "十一月会员回访")
    again = _question(cs, november, "您对送货服务满意吗？")  # the same question, asked again
    (member,) = _members(cs, november).values()
    assert _call(cs, member, answers=[{"question": again["id"], "score": 4}]).status_code == 200

    monthly = cs.as_("lead").get(f"{S}/surveys/results").json()
    weekly = (
        cs.as_("lead")
        .get(f"{S}/surveys/results?period=week&start=2026-10-19&end=2026-11-29")
        .json()
    )

    assert [q["text"] for q in monthly["questions"]] == ["您对送货服务满意吗？"]
    assert monthly["questions"][0]["total"]["average"] == 3.0
    assert [(r["key"], r["cells"][0]["average"]) for r in monthly["by_period"]] == [
        ("2026-06-01", None),
        ("2026-07-01", None),
        ("2026-08-01", None),
        ("2026-09-01", None),
        ("2026-10-01", 2.0),
        ("2026-11-01", 4.0),
    ]
    weeks = [(r["key"], r["cells"][0]["answers"]) for r in weekly["by_period"]]
    assert weeks[0] == ("2026-10-19", 1) and weeks[-1] == ("2026-11-23", 1)
    assert len(weeks) == 6 and sum(n for _k, n in weeks) == 2
    only_october = cs.as_("lead").get(f"{S}/surveys/results?campaign={october['id']}").json()
    assert only_october["questions"][0]["total"]["answers"] == 1


def test_results_filters_checked__CS_8(cs, survey):
    r = cs.as_("lead").get(f"{S}/surveys/results?start=2026-11-20&end=2026-11-01")
    assert r.status_code == 422 and "end" in r.json()["fields"]
    r = cs.as_("lead").get(f"{S}/surveys/results?period=year")
    assert r.status_code == 422


def test_results_export_has_a_sheet_per_table__CS_8(cs, survey):
    _delivered(survey["customers"]["王芳"]["id"], "纯牛奶", timezone.now() - timedelta(days=3))
    _answer_all(
        cs,
        survey,
        scores={"王芳": 5, "李强": 4, "赵敏": 1},
        choices={"王芳": "朋友", "李强": "电视", "赵敏": ""},
    )
    SurveyAnswer.objects.filter(score=1).update(text="牛奶送晚了")

    r = cs.as_("supervisor").get(f"{S}/surveys/results.xlsx")

    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert book.sheetnames == ["概览", "按期间", "按客服", "按产品", "按地区", "客户原话"]
    overview = list(book["概览"].iter_rows(values_only=True))
    assert overview[1][:4] == ("您对送货服务满意吗？", "评分 1–5", 3, 3.33)
    products = {row[0]: row[1:3] for row in book["按产品"].iter_rows(min_row=2, values_only=True)}
    assert products == {"纯牛奶": (5, 1), "—": (2.5, 2)}
    texts = list(book["客户原话"].iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in texts] == ["牛奶送晚了"]
    page = cs.as_("supervisor").client.get("/c/kefu/service/surveys/?export=xlsx")
    assert page.status_code == 200
    assert len(load_workbook(io.BytesIO(b"".join(page.streaming_content))).sheetnames) == 6


def test_free_text_listed_latest_first__CS_8(cs, survey):
    _answer_all(cs, survey, scores={"王芳": 5, "李强": 4, "赵敏": 1}, choices={})
    for n, answer in enumerate(SurveyAnswer.objects.order_by("pk")):
        answer.text, answer.at = f"第{n}条", answer.at + timedelta(minutes=n)
        answer.save()

    r = cs.as_("agent2").get(f"{S}/surveys/texts?limit=2")

    assert r.status_code == 200, r.content
    assert r.json()["count"] == 3
    assert [t["text"] for t in r.json()["items"]] == ["第2条", "第1条"]


# --- scope ----------------------------------------------------------------------------------


def test_surveys_of_another_centre_are_404__ORG_3(cs, survey):
    question, member = survey["score"], survey["members"]["王芳"]
    campaign = survey["campaign"]
    stranger = cs.as_("supervisor_b")
    for path in (
        f"{S}/campaigns/{campaign['id']}/questions",
        f"{S}/survey-questions/{question['id']}",
        f"{S}/members/{member['id']}/answers",
        f"{S}/surveys/results",
        f"{S}/surveys/texts",
        f"{KEFU2}/campaigns/{campaign['id']}/questions",
        f"{KEFU2}/survey-questions/{question['id']}",
        f"{KEFU2}/members/{member['id']}/answers",
    ):
        assert stranger.get(path).status_code == 404, path
    writes = [
        (f"{KEFU2}/campaigns/{campaign['id']}/questions", {"text": "?", "kind": "score"}),
        (f"{KEFU2}/survey-questions/{question['id']}/remove", {"version": 1}),
        (
            f"{KEFU2}/members/{member['id']}/answers",
            {"version": 1, "answers": [{"question": question["id"], "score": 1}]},
        ),
    ]
    for path, body in writes:
        r = stranger.post(path, body)
        assert r.status_code == 404 and r.json()["code"] == "not_found", path
    assert (
        stranger.patch(
            f"{KEFU2}/survey-questions/{question['id']}", {"version": 1, "text": "x"}
        ).status_code
        == 404
    )
    assert SurveyQuestion.objects.get(pk=question["id"]).version == 1
    assert SurveyQuestion.objects.filter(campaign_id=campaign["id"]).count() == 2
    for page in (
        "/c/kefu/service/surveys/",
        f"/c/kefu/service/campaigns/{campaign['id']}/survey/",
        f"/c/kefu2/service/campaigns/{campaign['id']}/survey/",
        f"/c/kefu2/service/members/{member['id']}/survey/",
    ):
        assert stranger.client.get(page).status_code == 404, page


# --- pages ----------------------------------------------------------------------------------


def test_results_page_shows_charts_and_tables__CS_8(cs, survey):
    _answer_all(cs, survey, scores={"王芳": 5, "李强": 4, "赵敏": 1}, choices={"王芳": "朋友"})

    page = cs.as_("agent1").client.get("/c/kefu/service/surveys/")

    assert page.status_code == 200
    html = page.content.decode()
    for testid in (
        "chart-survey-period",
        "chart-survey-agent",
        "chart-survey-product",
        "chart-survey-region",
        "chart-survey-choice-1",
        "table-period",
        "table-agent",
        "table-product",
        "table-region",
        "texts",
    ):
        assert f'data-testid="{testid}"' in html, testid
    assert 'id="survey-region-option" type="application/json"' in html
    assert "vendor/echarts/echarts.min.js" in html and "//cdn" not in html


def test_question_added_and_answered_through_the_pages__CS_8(cs, survey):
    campaign, supervisor = survey["campaign"], cs.as_("supervisor").client
    added = supervisor.post(
        f"/c/kefu/service/campaigns/{campaign['id']}/survey/",
        {"text": "会推荐给朋友吗？", "kind": "choice", "choices": "会\n不会\n说不准"},
    )
    assert added.status_code == 302
    refused = supervisor.post(
        f"/c/kefu/service/campaigns/{campaign['id']}/survey/",
        {"text": "只有一个选项", "kind": "choice", "choices": "会"},
    )
    assert refused.status_code == 422 and "CS-8" in refused.content.decode()
    new = SurveyQuestion.objects.get(text="会推荐给朋友吗？")
    assert new.choices == ["会", "不会", "说不准"] and new.position == 3

    member = survey["members"]["王芳"]
    assert _call(cs, member).status_code == 200  # reached, no survey yet
    agent = cs.as_(_login_of(cs, member["agent_id"])).client
    url = f"/c/kefu/service/members/{member['id']}/survey/"
    shown = agent.get(url).content.decode()
    assert f'name="q{survey["score"]["id"]}_score"' in shown
    assert f'name="q{new.pk}_choice" id="q{new.pk}-choice-3" value="说不准"' in shown
    version = CampaignMember.objects.get(pk=member["id"]).version

    bad = agent.post(url, {"version": version, f"q{survey['score']['id']}_score": "6"})
    assert bad.status_code == 422
    assert "您对送货服务满意吗？" in bad.content.decode()
    good = agent.post(
        url,
        {
            "version": version,
            "survey_member": member["id"],
            f"q{survey['score']['id']}_score": "4",
            f"q{new.pk}_choice": "说不准",
            f"q{new.pk}_text": "再看看",
        },
    )
    assert good.status_code == 302, good.content.decode()
    answers = SurveyAnswer.objects.order_by("question__position")
    assert list(answers.values_list("score", "choice", "text")) == [
        (4, "", ""),
        (None, "说不准", "再看看"),
    ]


def test_question_changed_and_removed_on_its_page_while_unanswered__CS_8(cs, survey):
    supervisor, choice = cs.as_("supervisor").client, survey["choice"]
    url = f"/c/kefu/service/survey-questions/{choice['id']}/"
    assert 'data-testid="question-form"' in supervisor.get(url).content.decode()

    changed = supervisor.post(
        url, {"version": 1, "text": "您从哪里知道我们？", "kind": "choice", "choices": "电视\n朋友"}
    )
    assert changed.status_code == 302
    assert SurveyQuestion.objects.get(pk=choice["id"]).choices == ["电视", "朋友"]
    remove = f"/c/kefu/service/survey-questions/{choice['id']}/remove/"
    supervisor.post(remove, {"version": 1})  # stale: refused, the question stays
    assert SurveyQuestion.objects.filter(pk=choice["id"]).exists()
    assert supervisor.post(remove, {"version": 2}).status_code == 302
    assert not SurveyQuestion.objects.filter(pk=choice["id"]).exists()

    member = survey["members"]["王芳"]
    score = survey["score"]["id"]
    assert _call(cs, member, answers=[{"question": score, "score": 5}]).status_code == 200
    answered = supervisor.get(f"/c/kefu/service/survey-questions/{score}/").content.decode()
    assert 'data-testid="question-form"' not in answered
    assert 'data-testid="remove"' not in answered
