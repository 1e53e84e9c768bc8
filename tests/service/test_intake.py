"""The intake (CS-1, CS-6): one contact recorded in one transaction — the customer found by
the number or created, a case opened (owned by the agent who answered, first response at
once) or the contact added to an open case — through the API and the intake page; a web lead
waits in the queue on the first-response clock; anything refused writes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from zhiban.core.actors import Source
from zhiban.core.models import AuditEvent, Deadline
from zhiban.core.permissions import Role
from zhiban.duty.models import LogEntry
from zhiban.org import services as org
from zhiban.service.models import Case, Contact, Customer, Order

from ..conftest import Api, make_person

CONTACTS = "/service/kefu/contacts"


def _intake(cs, login="agent1", **data):
    body = {
        "phone": "13800005123",
        "name": "王芳",
        "channel": "hotline",
        "category": "consultation",
        "content": "咨询低脂奶的保质期\n顺便问送货时间",
        **data,
    }
    return cs.as_(login).post(CONTACTS, body)


def _counts():
    return (
        Customer.objects.count(),
        Case.objects.count(),
        Contact.objects.count(),
        AuditEvent.objects.count(),
        LogEntry.objects.count(),
    )


def test_intake_writes_customer_case_and_contact_together__CS_1(cs):
    r = _intake(cs, address="吴中区东吴北路1号", region="吴中区", is_member=True)
    assert r.status_code == 201, r.content
    contact = r.json()
    assert contact["case_number"] == "KF-2026-00001"
    case = Case.objects.get(pk=contact["case_id"])
    assert case.customer.name == "王芳" and case.customer.is_member
    assert case.customer.phone == "13800005123"
    assert case.subject == "咨询低脂奶的保质期"
    assert case.owner == cs.people["agent1"]  # whoever receives it owns it (CS-6)
    assert case.first_response_at == case.opened_at  # answered at once (CS-6)
    assert case.first_response_due is None
    assert Contact.objects.get(pk=contact["id"]).received_by == cs.people["agent1"]
    log = LogEntry.objects.get(centre=cs.kefu, verb="case.open")
    assert "KF-2026-00001" in log.text and "王芳" in log.text
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"customer.create", "case.open", "contact.record"} <= verbs


def test_a_known_number_finds_its_customer__CS_1(cs):
    first = _intake(cs).json()
    second = _intake(cs, phone="138-0000-5123", name="", content="再问一次").json()
    assert Customer.objects.count() == 1
    assert second["customer_id"] == first["customer_id"]
    assert second["case_number"] == "KF-2026-00002"  # another case: none was given


def test_a_contact_joins_the_open_case_given__CS_1(cs):
    first = _intake(cs).json()
    r = _intake(cs, login="agent2", phone="", case=first["case_id"], content="客户回电补充")
    assert r.status_code == 201, r.content
    assert r.json()["case_id"] == first["case_id"]
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert case.contacts.count() == 2
    assert case.owner == cs.people["agent1"]  # the owner stays (CS-6)


def test_a_case_of_another_customer_is_refused__CS_1(cs):
    first = _intake(cs).json()
    before = _counts()
    r = _intake(cs, phone="13911112222", name="李强", case=first["case_id"])
    assert r.status_code == 422, r.content
    assert r.json()["rule"] == "CS-1"
    assert "case" in r.json()["fields"]
    assert _counts() == before


def test_invalid_number_refuses_the_whole_intake__CS_1(cs):
    before = _counts()
    for number in ("1380000512", "0512", "123456"):
        r = _intake(cs, phone=number)
        assert r.status_code == 422, r.content
        assert r.json()["rule"] == "CS-1"
        assert "CS-1" in r.json()["fields"]["phone"][0]
    assert _counts() == before


def test_a_new_customer_needs_a_name_and_nothing_is_written(cs):
    before = _counts()
    r = _intake(cs, name="")
    assert r.status_code == 422
    assert "name" in r.json()["fields"]
    assert _counts() == before


def test_contact_time_outside_the_centres_window_is_refused__ORG_4(cs):
    before = _counts()
    at = (timezone.now() - timedelta(days=30)).isoformat()
    r = _intake(cs, at=at)
    assert r.status_code == 422
    assert r.json()["rule"] == "ORG-4"
    assert "at" in r.json()["fields"]
    assert _counts() == before


def test_an_order_part_refused_leaves_nothing_written__CS_1(cs):
    before = _counts()
    r = _intake(
        cs,
        category="order",
        content="订两箱纯牛奶",
        order={"product": "纯牛奶", "quantity": "0", "unit_price": "58", "address": "吴中区"},
    )
    assert r.status_code == 422, r.content
    assert any(name.startswith("order.") for name in r.json()["fields"])
    assert _counts() == before
    assert not Order.objects.exists()


def _gateway(cs) -> Api:
    person = make_person(cs.kefu, "webgw", Role.GATEWAY)
    _token, raw = org.api_token_create(actor=person, source=Source.CLI, name="网站留言")
    return Api(Client(), headers={"Authorization": f"Bearer {raw}"})


def test_a_web_lead_waits_in_the_queue_on_the_first_response_clock__CS_6(cs):
    web = _gateway(cs)
    r = web.post(
        CONTACTS,
        {
            "phone": "13800005123",
            "name": "网上客户",
            "channel": "web",
            "category": "consultation",
            "content": "想了解会员卡",
            "is_lead": True,
        },
    )
    assert r.status_code == 201, r.content
    case = Case.objects.get(pk=r.json()["case_id"])
    assert case.owner is None and case.first_response_at is None and case.is_lead
    assert case.first_response_due == case.opened_at + timedelta(minutes=30)
    deadline = Deadline.objects.get(object_id=str(case.pk), name="首次响应 (CS-6)")
    assert deadline.due_at == case.first_response_due and deadline.state == "open"
    queue = cs.as_("agent2").get("/service/kefu/queue").json()["items"]
    assert [c["number"] for c in queue] == [case.number]
    assert queue[0]["clock"] == "running"


def test_a_gateway_records_only_web_leads__CS_6(cs):
    web = _gateway(cs)
    before = _counts()
    r = web.post(
        CONTACTS,
        {
            "phone": "13800005123",
            "name": "x",
            "channel": "phone",
            "category": "consultation",
            "content": "电话",
        },
    )
    assert r.status_code == 403
    assert _counts() == before


def test_the_first_response_clock_follows_the_centres_setting__CS_6(cs):
    admin = cs.as_("admin")
    version = admin.get("/centres/kefu").json()["version"]
    changed = admin.patch(
        "/centres/kefu/settings",
        {
            "version": version,
            # null keeps the default: the settings form refuses the default rest hours
            # (23 characters) as a text setting of at most 20 (org/forms.py SettingsForm)
            "values": {"service.first_response_minutes": 45, "service.rest_hours": None},
        },
    )
    assert changed.status_code == 200, changed.content
    r = _intake(cs, login="supervisor", channel="web")
    case = Case.objects.get(pk=r.json()["case_id"])
    assert case.owner is None
    assert case.first_response_due == case.opened_at + timedelta(minutes=45)


def test_another_centre_cannot_record_here__ORG_3(cs):
    before = _counts()
    r = _intake(cs, login="agent_b")
    assert r.status_code == 404
    assert _counts() == before


# --- the intake page ----------------------------------------------------------------------


def test_intake_page_starts_at_the_phone_and_is_ready_again_after_saving__CS_1(cs):
    web = cs.as_("agent1").client
    page = web.get("/c/kefu/service/intake/").content.decode()
    assert 'name="phone"' in page and "autofocus" in page
    assert 'accesskey="1"' in page  # the channels by key
    posted = web.post(
        "/c/kefu/service/intake/",
        {
            "phone": "13800005123",
            "name": "王芳",
            "channel": "phone",
            "category": "consultation",
            "content": "咨询保质期",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    again = web.get(posted["Location"]).content.decode()
    assert "KF-2026-00001" in again and 'data-testid="saved"' in again
    assert 'value="13800005123"' not in again  # fields cleared for the next call
    assert Case.objects.get().owner == cs.people["agent1"]


def test_intake_page_shows_a_refusal_beside_the_field__CS_1(cs):
    web = cs.as_("agent1").client
    r = web.post(
        "/c/kefu/service/intake/",
        {
            "phone": "0512",
            "name": "王芳",
            "channel": "phone",
            "category": "consultation",
            "content": "x",
        },
    )
    assert r.status_code == 422
    assert 'data-field="phone"' in r.content.decode() and "CS-1" in r.content.decode()
    assert not Case.objects.exists()


def test_intake_page_brings_the_complaint_or_order_part_with_its_category(cs):
    web = cs.as_("agent1").client
    part = "/c/kefu/service/intake/part/"
    assert (
        'data-testid="intake-complaint"'
        in web.get(part, {"category": "complaint"}).content.decode()
    )
    assert 'data-testid="intake-order"' in web.get(part, {"category": "order"}).content.decode()
    assert "fieldset" not in web.get(part, {"category": "consultation"}).content.decode()


def test_picking_a_customer_shows_the_history_beside_the_form__CS_1(cs):
    first = _intake(cs).json()
    web = cs.as_("agent2").client
    history = web.get(
        f"/c/kefu/service/customers/{first['customer_id']}/history/", {"pick": "1"}
    ).content.decode()
    assert "王芳" in history and "KF-2026-00001" in history
    assert 'name="case"' in history and 'form="intake-form"' in history
    assert "咨询低脂奶的保质期" in history  # the earlier contact
    assert web.get(f"/c/kefu/service/customers/{first['customer_id']}/history/").status_code == 200
    other = cs.as_("agent_b").client.get(
        f"/c/kefu2/service/customers/{first['customer_id']}/history/"
    )
    assert other.status_code == 404


def test_the_call_link_opens_the_intake_with_the_number(cs):
    page = cs.as_("agent1").client.get("/c/kefu/service/intake/?phone=13800005123&call=7")
    text = page.content.decode()
    assert 'value="13800005123"' in text and 'name="call" value="7"' in text
