"""Return-visit campaigns (CS-7) and the follow-up offer (CS-9), through the API and the pages:
each rule selects the right customers, the customers are shared evenly by load and skill, the
agent works the call list (rest hours warned, no answer retried in another window), a members
campaign finishes only at 100 % coverage, the offer is recorded with who approved it, and
another centre's campaigns are not found.

The arrange step writes customers, delivered orders and closed cases through the ORM (the
intake, complaints and orders works are built beside this one); everything acted on goes
through the public interface."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest

from zhiban.core.models import AuditEvent, Deadline, DeadlineState
from zhiban.core.permissions import Role
from zhiban.duty.models import LogEntry
from zhiban.service.models import (
    CallAttempt,
    CallResult,
    Campaign,
    CampaignMember,
    Case,
    CaseState,
    Category,
    Channel,
    Customer,
    Order,
    OrderState,
)

from ..clock import SHANGHAI
from ..conftest import make_person

TODAY = datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)  # a Saturday


def at(month_day: str, hour: int = 10) -> datetime:
    """A time of November or December 2026 in Shanghai: at("11-18")."""
    month, day = (int(p) for p in month_day.split("-"))
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


class Shop:
    """Customers, cases and orders of a centre, written for the arrange step."""

    def __init__(self, centre):
        self.centre = centre
        self.n = 0

    def customer(self, name, member=False, region="苏州市") -> Customer:
        self.n += 1
        return Customer.objects.create(
            centre=self.centre,
            name=name,
            phone=f"1380000{self.centre.pk % 10}{self.n:03d}",  # 11 digits whatever the ids
            is_member=member,
            region=region,
        )

    def case(self, customer, category=Category.CONSULTATION, opened=TODAY, **kw) -> Case:
        self.n += 1
        return Case.objects.create(
            centre=self.centre,
            number=f"KF-2026-{self.n:05d}",
            customer=customer,
            channel=Channel.PHONE,
            category=category,
            subject="回访测试",
            opened_at=opened,
            **kw,
        )

    def order(self, customer, taken=TODAY, state=OrderState.NEW, delivered=None) -> Order:
        case = self.case(customer, Category.ORDER, opened=taken)
        return Order.objects.create(
            centre=self.centre,
            number=f"DH-{case.number}",
            case=case,
            customer=customer,
            product="鲜奶",
            quantity=Decimal("2"),
            unit_price=Decimal("6.50"),
            address="人民路 1 号",
            region="苏州市",
            customer_type="retail",
            state=state,
            taken_at=taken,
            delivered_at=delivered,
        )


@pytest.fixture
def shop(cs):
    return Shop(cs.kefu)


def create(cs, rule="members", login="supervisor", **extra):
    return cs.as_(login).post(
        "/service/kefu/campaigns", {"name": "十一月回访", "rule": rule, **extra}
    )


def customers_of(body) -> set[str]:
    return {m.customer.name for m in CampaignMember.objects.filter(campaign_id=body["id"])}


def entries(body, **filters):
    return CampaignMember.objects.filter(campaign_id=body["id"], **filters).order_by("pk")


def call(cs, member, login=None, **body):
    login = login or member.agent.username
    payload = {"version": member.version, "result": "reached", **body}
    return cs.as_(login).post(f"/service/kefu/members/{member.pk}/calls", payload)


# --- the rules (CS-7, CS-9) -----------------------------------------------------------------------


def test_members_rule_selects_every_member_of_the_centre_once__CS_7(cs, shop):
    members = {shop.customer(f"会员{i}", member=True).name for i in range(5)}
    shop.customer("散客")
    Shop(cs.kefu2).customer("乙中心会员", member=True)

    r = create(cs, "members")

    assert r.status_code == 201, r.content
    body = r.json()
    assert body["total"] == 5 and body["done"] == 0 and body["state"] == "running"
    assert customers_of(body) == members


def test_delivered_rule_selects_deliveries_7_to_15_working_days_ago__CS_7(cs, shop):
    """Today is Saturday 28 November: 7 working days back is Wednesday 18 November, 15 is
    Friday 6 November (weekends do not count; holidays are not known)."""
    for name, day in [
        ("十六天", "11-05"),
        ("十五天", "11-06"),
        ("中间", "11-12"),
        ("七天", "11-18"),
    ]:
        shop.order(shop.customer(name), state=OrderState.DELIVERED, delivered=at(day, 16))
    shop.order(shop.customer("六天"), state=OrderState.DELIVERED, delivered=at("11-19"))
    shop.order(shop.customer("未送达"), taken=at("11-12"))
    twice = shop.customer("两单")
    shop.order(twice, state=OrderState.DELIVERED, delivered=at("11-09"))
    shop.order(twice, state=OrderState.DELIVERED, delivered=at("11-16"))
    other = Shop(cs.kefu2)
    other.order(other.customer("乙中心"), state=OrderState.DELIVERED, delivered=at("11-12"))

    r = create(cs, "delivered")

    assert r.status_code == 201, r.content
    assert customers_of(r.json()) == {"十五天", "中间", "七天", "两单"}
    assert entries(r.json(), customer=twice).get().since == at("11-16")


def test_complaint_closed_rule_selects_complaints_closed_3_to_7_days_ago__CS_7(cs, shop):
    def closed(name, day, category=Category.COMPLAINT):
        shop.case(
            shop.customer(name),
            category,
            opened=at(day, 8),
            state=CaseState.CLOSED,
            closed_at=at(day, 20),
        )

    closed("八天前", "11-20")
    closed("七天前", "11-21")
    closed("三天前", "11-25")
    closed("两天前", "11-26")
    closed("咨询", "11-23", Category.CONSULTATION)
    shop.case(shop.customer("未办结"), Category.COMPLAINT, opened=at("11-23"))

    r = create(cs, "complaint_closed")

    assert r.status_code == 201, r.content
    assert customers_of(r.json()) == {"七天前", "三天前"}


def test_leads_rule_selects_leads_without_an_order_since__CS_9(cs, shop):
    shop.case(shop.customer("两天前线索"), opened=TODAY - timedelta(days=2), is_lead=True)
    shop.case(shop.customer("刚来的线索"), opened=TODAY - timedelta(hours=2), is_lead=True)
    bought = shop.customer("已下单")
    shop.case(bought, opened=TODAY - timedelta(days=3), is_lead=True)
    shop.order(bought, taken=TODAY - timedelta(days=2))
    cancelled = shop.customer("取消订单")
    shop.case(cancelled, opened=TODAY - timedelta(days=3), is_lead=True)
    shop.order(cancelled, taken=TODAY - timedelta(days=2), state=OrderState.CANCELLED)
    earlier = shop.customer("早先下过单")
    shop.order(earlier, taken=TODAY - timedelta(days=9))
    shop.case(earlier, opened=TODAY - timedelta(days=3), is_lead=True)
    shop.case(shop.customer("不是线索"), opened=TODAY - timedelta(days=3))

    r = create(cs, "leads")

    assert r.status_code == 201, r.content
    assert customers_of(r.json()) == {"两天前线索", "取消订单", "早先下过单"}
    again = create(cs, "leads")  # each lead is followed up once
    assert again.status_code == 422
    assert again.json()["rule"] == "CS-7"


def test_a_rule_that_selects_nobody_is_refused_naming_CS_7_and_nothing_written(cs, shop):
    shop.customer("散客")
    events = AuditEvent.objects.count()

    r = create(cs, "members")

    assert r.status_code == 422
    body = r.json()
    assert body["rule"] == "CS-7" and "CS-7" in body["fields"]["rule"][0]
    assert not Campaign.objects.exists() and AuditEvent.objects.count() == events


def test_only_group_leads_supervisors_and_heads_create_campaigns__CS_7(cs, shop):
    shop.customer("会员", member=True)
    assert create(cs, login="agent1").status_code == 403
    assert create(cs, login="lead").status_code == 201
    assert not Campaign.objects.filter(created_by=cs.people["agent1"]).exists()


# --- assignment by load and skill (CS-7) -----------------------------------------------------------


def test_members_are_shared_evenly_among_agents_with_equal_load__CS_7(cs, shop):
    cs.people["agent3"] = make_person(cs.kefu, "agent3", Role.CS_AGENT, cs.hotline, name="Agent3")
    for i in range(10):
        shop.customer(f"会员{i}", member=True)

    body = create(cs).json()

    counts = {a: entries(body, agent=cs.people[a]).count() for a in ("agent1", "agent2", "agent3")}
    assert sum(counts.values()) == 10
    assert max(counts.values()) - min(counts.values()) <= 1
    assert counts == {"agent1": 4, "agent2": 3, "agent3": 3}  # ties by name
    assert not entries(body, agent=cs.people["lead"]).exists()  # agents only


def test_an_agent_with_open_cases_gets_fewer_customers__CS_7(cs, shop):
    busy = cs.people["agent1"]
    for i in range(4):
        shop.case(shop.customer(f"老客{i}"), owner=busy)
    shop.case(shop.customer("已办结"), owner=cs.people["agent2"], state=CaseState.CLOSED)
    for i in range(6):
        shop.customer(f"会员{i}", member=True)

    body = create(cs).json()

    assert entries(body, agent=busy).count() == 1  # 4 open + 1 = 5 beside agent2's 5
    assert entries(body, agent=cs.people["agent2"]).count() == 5
    detail = cs.as_("supervisor").get(f"/service/kefu/campaigns/{body['id']}").json()
    assert {a["agent_name"]: a["total"] for a in detail["per_agent"]} == {"Agent1": 1, "Agent2": 5}


def test_a_campaign_asking_for_a_skill_goes_to_the_agents_who_have_it__CS_7(cs, shop):
    for i in range(3):
        shop.customer(f"会员{i}", member=True)
    supervisor = cs.as_("supervisor")
    added = supervisor.post(
        "/service/kefu/agent-skills",
        {"agent": cs.people["agent2"].pk, "skill": "member_care"},
    )
    assert added.status_code == 200, added.content
    assert {
        "agent_id": cs.people["agent2"].pk,
        "agent_name": "Agent2",
        "skills": ["member_care"],
    } in (added.json())

    body = create(cs, skill="member_care").json()

    assert entries(body).count() == entries(body, agent=cs.people["agent2"]).count() == 3
    nobody = create(cs, skill="complaint")
    assert nobody.status_code == 422
    assert nobody.json()["rule"] == "CS-7" and "CS-7" in nobody.json()["fields"]["skill"][0]


def test_only_an_agent_of_the_centre_gets_a_skill__CS_7(cs):
    supervisor = cs.as_("supervisor")
    for person in ("agent_b", "lead"):
        r = supervisor.post(
            "/service/kefu/agent-skills", {"agent": cs.people[person].pk, "skill": "complaint"}
        )
        assert r.status_code == 422
        assert r.json()["rule"] == "CS-7" and "agent" in r.json()["fields"]
    forbidden = cs.as_("agent1").post(
        "/service/kefu/agent-skills", {"agent": cs.people["agent1"].pk, "skill": "complaint"}
    )
    assert forbidden.status_code == 403
    removed = supervisor.post(
        "/service/kefu/agent-skills/remove", {"agent": cs.people["agent1"].pk, "skill": "order"}
    )
    assert removed.status_code == 200


def test_an_entry_moves_only_to_an_agent_of_the_centre__CS_7(cs, shop):
    shop.customer("会员", member=True)
    body = create(cs).json()
    member = entries(body).get()
    lead = cs.as_("lead")

    for outsider in ("agent_b", "lead", "supervisor"):
        r = lead.post(
            f"/service/kefu/members/{member.pk}/reassign",
            {"version": member.version, "agent": cs.people[outsider].pk},
        )
        assert r.status_code == 422, outsider
        assert r.json()["rule"] == "CS-7" and "CS-7" in r.json()["fields"]["agent"][0]
    member.refresh_from_db()
    assert member.agent == cs.people["agent1"] and member.version == 1

    other = cs.people["agent2"]
    moved = lead.post(
        f"/service/kefu/members/{member.pk}/reassign", {"version": 1, "agent": other.pk}
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["agent_id"] == other.pk and moved.json()["version"] == 2
    assert other.notifications.filter(link__contains=f"/members/{member.pk}/").exists()


# --- the call list (CS-7) ----------------------------------------------------------------------------


@pytest.fixture
def campaign(cs, shop):
    """A members campaign of three customers on agent1's and agent2's lists."""
    for name in ("甲会员", "乙会员", "丙会员"):
        shop.customer(name, member=True)
    return create(cs).json()


def test_the_agent_sees_their_customers_due_now__CS_7(cs, campaign):
    mine = cs.as_("agent1").get("/service/kefu/call-list").json()
    assert [e["customer"]["name"] for e in mine["items"]] == ["甲会员", "丙会员"]
    assert mine["items"][0]["customer"]["phone_shown"].startswith("138 0000")

    page = cs.as_("agent1").client.get("/c/kefu/service/call-list/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="entry"') == 2


def test_a_reached_call_is_recorded_with_its_note__CS_7(cs, campaign):
    member = entries(campaign, agent=cs.people["agent2"]).get()

    r = call(cs, member, result="reached", note="很满意，下月续订")

    assert r.status_code == 200, r.content
    body = r.json()
    assert body["result"] == "reached" and body["attempts"] == 1 and body["version"] == 2
    assert body["calls"][0]["note"] == "很满意，下月续订" and not body["calls"][0]["in_rest_hours"]
    assert cs.as_("agent2").get("/service/kefu/call-list").json()["count"] == 0
    again = call(cs, CampaignMember.objects.get(pk=member.pk), result="refused")
    assert again.status_code == 409 and again.json()["code"] == "done_already"


def test_only_the_entrys_agent_or_a_group_lead_records_its_calls__CS_7(cs, campaign):
    member = entries(campaign, agent=cs.people["agent1"]).first()

    refused = call(cs, member, login="agent2")

    assert refused.status_code == 403 and refused.json()["rule"] == "CS-7"
    assert not CallAttempt.objects.exists()
    assert call(cs, member, login="lead").status_code == 200


def test_a_call_inside_rest_hours_is_refused_until_confirmed__CS_7(cs, campaign, fixed_clock):
    fixed_clock.move_to(TODAY.replace(hour=12, minute=30))
    member = entries(campaign, agent=cs.people["agent2"]).get()

    warned = call(cs, member)

    assert warned.status_code == 409
    assert warned.json()["code"] == "rest_hours" and warned.json()["rule"] == "CS-7"
    assert "12:00–14:00" in warned.json()["message"]
    assert not CallAttempt.objects.exists()

    confirmed = call(cs, member, rest_hours_confirmed=True)

    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["calls"][0]["in_rest_hours"] is True
    assert CallAttempt.objects.get().in_rest_hours


def test_the_call_page_warns_inside_rest_hours_and_asks_to_call_anyway__CS_7(
    cs, campaign, fixed_clock
):
    fixed_clock.move_to(TODAY.replace(hour=21, minute=30))
    member = entries(campaign, agent=cs.people["agent2"]).get()
    agent = cs.as_("agent2").client
    url = f"/c/kefu/service/members/{member.pk}/"

    page = agent.get(url).content.decode()
    assert 'data-testid="rest-warning"' in page and 'href="tel:' not in page

    posted = agent.post(f"{url}call/", {"version": member.version, "result": "reached"})
    assert posted.status_code == 409
    assert "CS-7" in posted.content.decode() and not CallAttempt.objects.exists()

    confirmed = agent.get(f"{url}?confirm=1").content.decode()
    assert f'href="tel:{member.customer.phone}"' in confirmed
    assert 'name="rest_hours_confirmed" value="1"' in confirmed
    done = agent.post(
        f"{url}call/", {"version": member.version, "result": "reached", "rest_hours_confirmed": "1"}
    )
    assert done.status_code == 302 and CallAttempt.objects.get().in_rest_hours


def test_no_answer_is_tried_again_in_another_window_outside_rest_hours__CS_7(
    cs, campaign, fixed_clock
):
    """At 10:00 the next try is offered from 14:00 (after the 12:00–14:00 rest); at 15:00 from
    08:00 the next morning (the evening window would start after 21:00's rest)."""
    first, second = entries(campaign, agent=cs.people["agent1"])

    r = call(cs, first, result="no_answer")

    assert r.status_code == 200, r.content
    assert datetime.fromisoformat(r.json()["retry_after"]) == TODAY.replace(hour=14)
    due = cs.as_("agent1").get("/service/kefu/call-list").json()["items"]
    assert [e["id"] for e in due] == [second.pk]

    fixed_clock.move_to(TODAY.replace(hour=15))
    assert {e["id"] for e in cs.as_("agent1").get("/service/kefu/call-list").json()["items"]} == {
        first.pk,
        second.pk,
    }
    later = call(cs, second, result="no_answer").json()
    assert datetime.fromisoformat(later["retry_after"]) == at("11-29", 8)


def test_a_stale_version_is_a_conflict_and_no_call_is_written__DESIGN_1(cs, campaign):
    member = entries(campaign, agent=cs.people["agent2"]).get()
    r = cs.as_("agent2").post(
        f"/service/kefu/members/{member.pk}/calls", {"version": 7, "result": "reached"}
    )
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    assert not CallAttempt.objects.exists()


def test_pending_is_not_a_call_result__CS_7(cs, campaign):
    member = entries(campaign, agent=cs.people["agent2"]).get()
    r = call(cs, member, result="pending")
    assert r.status_code == 422 and not CallAttempt.objects.exists()


# --- progress, coverage and finishing (CS-7) ---------------------------------------------------------


def test_a_members_campaign_finishes_only_at_full_coverage__CS_7(cs, campaign):
    one, two, three = entries(campaign)
    assert call(cs, one, result="reached").status_code == 200
    assert call(cs, two, result="refused").status_code == 200
    assert call(cs, three, result="no_answer").status_code == 200
    supervisor = cs.as_("supervisor")
    detail = supervisor.get(f"/service/kefu/campaigns/{campaign['id']}").json()
    assert detail["coverage"] == pytest.approx(66.7) and detail["missing"] == [three.pk]

    refused = supervisor.post(
        f"/service/kefu/campaigns/{campaign['id']}/finish", {"version": campaign["version"]}
    )

    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "coverage" and body["rule"] == "CS-7"
    assert "1" in body["message"] and "丙会员" in body["message"]
    assert body["missing"] == [three.pk]
    assert Campaign.objects.get().state == "running"
    page = supervisor.client.get(f"/c/kefu/service/campaigns/{campaign['id']}/").content.decode()
    assert 'data-testid="missing-member"' in page and "丙会员" in page

    three.refresh_from_db()
    confirmed = {"rest_hours_confirmed": True}
    assert call(cs, three, result="wrong_number", **confirmed).status_code == 200
    finished = supervisor.post(
        f"/service/kefu/campaigns/{campaign['id']}/finish", {"version": campaign["version"]}
    )
    assert finished.status_code == 200, finished.content
    assert finished.json()["state"] == "finished" and finished.json()["coverage"] == 100.0
    assert Deadline.objects.get(name="回访完成 (CS-7)").state == DeadlineState.MET
    assert LogEntry.objects.filter(verb="campaign.finish").exists()


def test_a_campaign_is_due_in_the_return_visit_days_as_a_deadline__CS_7(cs, campaign):
    deadline = Deadline.objects.get(name="回访完成 (CS-7)")
    made = Campaign.objects.get(pk=campaign["id"])
    assert deadline.due_at == made.due_at == made.starts_at + timedelta(days=3)
    assert deadline.state == DeadlineState.OPEN
    assert LogEntry.objects.filter(verb="campaign.create", centre=cs.kefu).exists()
    assert cs.people["agent1"].notifications.filter(link="/c/kefu/service/call-list/").exists()


def test_the_call_list_exports_with_its_results__CS_7(cs, campaign):
    member = entries(campaign, agent=cs.people["agent2"]).get()
    call(cs, member, result="reached", note="满意")

    for response in (
        cs.as_("supervisor").get(f"/service/kefu/campaigns/{campaign['id']}/members.xlsx"),
        cs.as_("supervisor").client.get(f"/c/kefu/service/campaigns/{campaign['id']}/export.xlsx"),
    ):
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == 4
        assert any("乙会员" in r and "满意" in r for r in rows)


# --- the follow-up offer (CS-9) ---------------------------------------------------------------------


def test_the_offer_is_recorded_with_who_approved_it__CS_9(cs, shop):
    shop.customer("会员", member=True)
    body = create(cs, offer="第二次回访九折").json()
    member = entries(body).get()
    agent = cs.as_("agent1")
    path = f"/service/kefu/members/{member.pk}/offer"

    for approver in ("agent2", "supervisor_b"):
        r = agent.post(path, {"version": 1, "approved_by": cs.people[approver].pk})
        assert r.status_code == 422, approver
        assert r.json()["rule"] == "CS-9" and "CS-9" in r.json()["fields"]["approved_by"][0]

    made = agent.post(path, {"version": 1, "approved_by": cs.people["supervisor"].pk})

    assert made.status_code == 200, made.content
    assert made.json()["offer"] == "第二次回访九折"
    assert made.json()["offer_approved_by_id"] == cs.people["supervisor"].pk
    event = AuditEvent.objects.get(verb="campaign_member.offer")
    assert event.after["offer_approved_by_id"] == cs.people["supervisor"].pk
    twice = agent.post(path, {"version": 2, "approved_by": cs.people["lead"].pk})
    assert twice.status_code == 409 and twice.json()["code"] == "offer_made"


def test_a_campaign_without_an_offer_records_none__CS_9(cs, campaign):
    member = entries(campaign, agent=cs.people["agent2"]).get()
    r = cs.as_("agent2").post(
        f"/service/kefu/members/{member.pk}/offer",
        {"version": 1, "approved_by": cs.people["supervisor"].pk},
    )
    assert r.status_code == 409 and r.json()["code"] == "no_offer"


def test_a_leads_offer_only_two_days_after_the_lead__CS_9(cs, shop, fixed_clock):
    shop.case(shop.customer("线索"), opened=TODAY - timedelta(hours=36), is_lead=True)
    body = create(cs, "leads", offer="手续费九折").json()
    member = entries(body).get()
    path = f"/service/kefu/members/{member.pk}/offer"
    approval = {"version": 1, "approved_by": cs.people["lead"].pk}

    early = cs.as_("agent1").post(path, approval)

    assert early.status_code == 409
    assert early.json()["code"] == "offer_too_early" and early.json()["rule"] == "CS-9"
    assert "2026-11-28 22:00" in early.json()["message"]
    fixed_clock.move_to(TODAY.replace(hour=22))
    assert cs.as_("agent1").post(path, approval).status_code == 200


# --- scope (ORG-3) -----------------------------------------------------------------------------------


def test_another_centres_campaigns_and_entries_are_not_found__ORG_3(cs, campaign):
    member = entries(campaign).first()
    for login in ("agent_b", "supervisor_b"):
        other = cs.as_(login)
        for path in (
            f"/service/kefu/campaigns/{campaign['id']}",
            f"/service/kefu2/campaigns/{campaign['id']}",
            f"/service/kefu2/campaigns/{campaign['id']}/members",
            f"/service/kefu2/members/{member.pk}",
        ):
            assert other.get(path).status_code == 404, path
        posted = other.post(
            f"/service/kefu2/members/{member.pk}/calls", {"version": 1, "result": "reached"}
        )
        assert posted.status_code == 404
        page = other.client.get(f"/c/kefu2/service/members/{member.pk}/")
        assert page.status_code == 404
    assert not CallAttempt.objects.exists()


# --- the pages ---------------------------------------------------------------------------------------


def test_a_supervisor_creates_a_campaign_on_its_page__CS_7(cs, shop):
    shop.customer("会员", member=True)
    client = cs.as_("supervisor").client

    empty = client.post("/c/kefu/service/campaigns/new/", {"name": "回访", "rule": "delivered"})
    assert empty.status_code == 422 and "CS-7" in empty.content.decode()

    made = client.post("/c/kefu/service/campaigns/new/", {"name": "会员回访", "rule": "members"})
    assert made.status_code == 302
    page = client.get(made["Location"]).content.decode()
    assert "会员回访" in page and 'data-testid="coverage"' in page
    listing = client.get("/c/kefu/service/campaigns/").content.decode()
    assert 'data-state="running"' in listing


def test_the_agent_records_a_no_answer_on_the_call_page__CS_7(cs, campaign):
    member = entries(campaign, agent=cs.people["agent2"]).get()
    agent = cs.as_("agent2").client
    page = agent.get(f"/c/kefu/service/members/{member.pk}/").content.decode()
    assert f'href="tel:{member.customer.phone}"' in page and 'data-testid="call-form"' in page

    r = agent.post(
        f"/c/kefu/service/members/{member.pk}/call/",
        {"version": member.version, "result": "no_answer", "note": "关机"},
    )

    assert r.status_code == 302 and r["Location"] == "/c/kefu/service/call-list/"
    member.refresh_from_db()
    assert member.result == CallResult.NO_ANSWER and member.note == "关机"
    assert member.retry_after == TODAY.replace(hour=14)


def test_the_supervisor_switches_an_agents_skill_on_the_page__CS_7(cs):
    client = cs.as_("supervisor").client
    agent = cs.people["agent1"]
    page = client.get("/c/kefu/service/agents/skills/").content.decode()
    assert f'data-agent="{agent.pk}"' in page

    r = client.post(
        "/c/kefu/service/agents/skills/",
        {"agent": agent.pk, "skill": "return_visit", "action": "add"},
    )

    assert r.status_code == 302
    listed = cs.as_("supervisor").get("/service/kefu/agent-skills").json()
    assert next(a for a in listed if a["agent_id"] == agent.pk)["skills"] == ["return_visit"]
    refused = cs.as_("agent1").client.post(
        "/c/kefu/service/agents/skills/",
        {"agent": agent.pk, "skill": "complaint", "action": "add"},
    )
    assert refused.status_code == 403


def test_the_call_list_pages_through_the_api_with_its_filters__CS_7(cs, campaign):
    member = entries(campaign, agent=cs.people["agent2"]).get()
    call(cs, member, result="reached", note="满意")
    url = f"/service/kefu/campaigns/{campaign['id']}/members"

    everything = cs.as_("supervisor").get(url)
    reached = cs.as_("supervisor").get(url, data={"result": "reached"})

    assert everything.status_code == 200, everything.content
    assert everything.json()["count"] == 3
    assert [m["id"] for m in reached.json()["items"]] == [member.pk]


def test_the_campaign_page_leads_to_its_survey_questions__CS_8(cs, campaign):
    page = cs.as_("supervisor").client.get(f"/c/kefu/service/campaigns/{campaign['id']}/")
    survey = f"/c/kefu/service/campaigns/{campaign['id']}/survey/"
    assert f'href="{survey}"' in page.content.decode()
    assert cs.as_("supervisor").client.get(survey).status_code == 200
