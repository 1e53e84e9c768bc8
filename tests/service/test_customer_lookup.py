"""Customers (CS-1): found by any four or more consecutive digits of their number while it is
typed (fewer find nothing), through the API and the intake's lookup; a number is an 11-digit
mobile, a landline with its area code or a 400/800 number, one customer per number; other
centres' customers answer 404 (ORG-3)."""

from __future__ import annotations

import pytest

from zhiban.core.models import AuditEvent
from zhiban.service.models import Customer

BASE = "/service/kefu/customers"


def _customer(cs, phone, name, login="agent1", **extra):
    r = cs.as_(login).post(BASE, {"name": name, "phone": phone, **extra})
    assert r.status_code == 201, r.content
    return r.json()


@pytest.fixture
def customers(cs):
    return {
        "wang": _customer(cs, "138 0000 5123", "王芳", region="吴中区", is_member=True),
        "li": _customer(cs, "0512-6552 0110", "李强"),
        "zhao": _customer(cs, "400-820-0365", "赵氏商行", customer_type="business"),
    }


def _lookup(cs, digits, login="agent1", code="kefu"):
    r = cs.as_(login).get(f"/service/{code}/customers", data={"phone": digits})
    assert r.status_code == 200, r.content
    return [c["name"] for c in r.json()["items"]]


def test_four_digits_anywhere_in_the_number_find_the_customer__CS_1(cs, customers):
    assert _lookup(cs, "5123") == ["王芳"]  # the last four of the mobile
    assert _lookup(cs, "0000") == ["王芳"]  # the middle of it
    assert _lookup(cs, "6552") == ["李强"]  # the local part of the landline
    assert _lookup(cs, "0512-65") == ["李强"]  # separators as typed
    assert _lookup(cs, "8200") == ["赵氏商行"]
    assert _lookup(cs, "13800005123") == ["王芳"]


def test_three_digits_find_nothing__CS_1(cs, customers):
    assert _lookup(cs, "512") == []
    assert _lookup(cs, "138") == []
    assert _lookup(cs, "") == []


def test_lookup_shows_the_exact_number_first__CS_1(cs, customers):
    _customer(cs, "13800005124", "孙丽")
    _customer(cs, "13900013800", "周杰")
    found = _lookup(cs, "13800005124")
    assert found == ["孙丽"]
    assert _lookup(cs, "1380") == ["孙丽", "王芳", "周杰"]  # two start with it, one holds it


def test_lookup_follows_a_changed_number__CS_1(cs, customers):
    wang = customers["wang"]
    r = cs.as_("agent1").patch(
        f"{BASE}/{wang['id']}", {"version": wang["version"], "phone": "13911112222"}
    )
    assert r.status_code == 200, r.content
    assert _lookup(cs, "5123") == []
    assert _lookup(cs, "1111") == ["王芳"]


def test_lookup_never_finds_another_centres_customers__ORG_3(cs, customers):
    cs.as_("agent_b").post("/service/kefu2/customers", {"name": "外中心", "phone": "13800005123"})
    assert _lookup(cs, "5123") == ["王芳"]
    assert _lookup(cs, "5123", login="agent_b", code="kefu2") == ["外中心"]
    r = cs.as_("agent_b").get(BASE, data={"phone": "5123"})
    assert r.status_code == 404


@pytest.mark.parametrize(
    "number",
    [
        "1380000512",  # a mobile of 10 digits
        "0512",  # an area code without its local part
        "123456",
        "23800005123",  # 11 digits that are no mobile
        "800-123",
    ],
)
def test_invalid_numbers_are_refused_and_nothing_is_written__CS_1(cs, number):
    events = AuditEvent.objects.count()
    r = cs.as_("agent1").post(BASE, {"name": "张三", "phone": number})
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["rule"] == "CS-1"
    message = body["fields"]["phone"][0]
    assert "11" in message and "400/800" in message and "CS-1" in message
    assert not Customer.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_second_customer_with_the_same_number_is_refused_naming_the_first__CS_1(cs, customers):
    r = cs.as_("agent2").post(BASE, {"name": "王芳芳", "phone": "+86 138-0000-5123"})
    assert r.status_code == 422, r.content
    assert r.json()["rule"] == "CS-1"
    message = r.json()["fields"]["phone"][0]
    assert "王芳" in message and str(customers["wang"]["id"]) in message
    assert Customer.objects.filter(phone="13800005123").count() == 1


def test_numbers_are_stored_as_digits_and_shown_as_read__CS_1(cs, customers):
    wang = cs.as_("agent1").get(f"{BASE}/{customers['wang']['id']}").json()
    assert wang["phone"] == "13800005123"
    assert wang["phone_shown"] == "138 0000 5123"
    assert wang["phone_kind"] == "mobile"
    li = cs.as_("agent1").get(f"{BASE}/{customers['li']['id']}").json()
    assert (li["phone"], li["phone_kind"]) == ("051265520110", "landline")


def test_a_changed_customer_needs_the_version_read__DESIGN_1(cs, customers):
    wang = customers["wang"]
    url = f"{BASE}/{wang['id']}"
    first = cs.as_("agent1").patch(url, {"version": wang["version"], "region": "姑苏区"})
    assert first.status_code == 200
    stale = cs.as_("agent2").patch(url, {"version": wang["version"], "region": "相城区"})
    assert stale.status_code == 409
    assert cs.as_("agent1").get(url).json()["region"] == "姑苏区"


def test_another_centres_customer_answers_404__ORG_3(cs, customers):
    url = f"{BASE}/{customers['wang']['id']}"
    assert cs.as_("agent_b").get(url).status_code == 404
    r = cs.as_("agent_b").get(f"/service/kefu2/customers/{customers['wang']['id']}")
    assert r.status_code == 404
    r = cs.as_("supervisor_b").patch(
        f"/service/kefu2/customers/{customers['wang']['id']}", {"version": 1, "name": "x"}
    )
    assert r.status_code == 404


def test_the_intake_lookup_lists_the_customers_while_typing__CS_1(cs, customers):
    web = cs.as_("agent1").client
    page = web.get("/c/kefu/service/intake/lookup/", {"phone": "5123"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "王芳" in text and "138 0000 5123" in text and 'data-testid="match"' in text
    short = web.get("/c/kefu/service/intake/lookup/", {"phone": "512"}).content.decode()
    assert 'data-testid="match"' not in short and 'data-testid="lookup-short"' in short
