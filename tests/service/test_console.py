"""The service desk on the centre's console (issue 12 item 10): the morning queue, open cases
by age and clock (CS-6), today's first-response compliance, shown only at customer-service
centres and refreshed on the "service" live key — through the web client."""

from __future__ import annotations

import re

from zhiban.core import console

from ..clock import ago

S = "/service/kefu"


def _record(cs, login, **data):
    body = {"phone": "13800005123", "name": "王芳", "channel": "phone", **data}
    body.setdefault("category", "consultation")
    body.setdefault("content", "咨询鲜奶保质期")
    r = cs.as_(login).post(f"{S}/contacts", body)
    assert r.status_code == 201, r.content
    return r.json()


def _figure(html: str, testid: str) -> str:
    """The text an element starts with."""
    found = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert found, testid
    return " ".join(found.group(1).split())


def _panel(cs, login="supervisor") -> str:
    client = cs.as_(login).client
    r = client.get("/c/kefu/panel/service/")
    assert r.status_code == 200
    return r.content.decode()


def test_console_counts_queue_clocks_and_ages__CS_6(cs):
    _record(cs, "agent1")  # answered at once: owned, first response in time
    _record(cs, "supervisor", phone="13911112222", channel="web", at=ago(hours=2))
    _record(cs, "supervisor", phone="13911113333", channel="web", at=ago(minutes=5))
    html = _panel(cs)
    assert _figure(html, "service-queue-count") == "2"  # the two web leads, nobody's yet
    assert _figure(html, "service-running") == "1"
    assert _figure(html, "service-breached") == "1"  # the lead of two hours ago
    assert _figure(html, "service-reply-late") == "0"
    assert _figure(html, "age-lt1h").endswith("2")
    assert _figure(html, "age-h1_4").endswith("1")
    assert _figure(html, "age-gt1d").endswith("0")


def test_console_first_response_compliance_of_today__CS_6(cs):
    _record(cs, "agent1")
    _record(cs, "supervisor", phone="13911112222", channel="web", at=ago(hours=2))
    html = _panel(cs)
    block = html.split('data-testid="service-first-response"')[1].split("data-testid=")[0]
    assert "50 %" in block  # one of today's two cases answered within 30 minutes


def test_console_panel_only_at_customer_service_centres__CS_6(cs):
    panel = console.get("service")
    assert panel is not None and panel.key == "service"  # refreshed on the "service" key
    page = cs.as_("agent1").client.get("/c/kefu/")
    assert page.status_code == 200
    assert 'data-testid="service-panel"' in page.content.decode()
    power = type("C", (), {"kind": "power"})()
    assert panel.context(type("R", (), {"user": cs.people["agent1"]})(), power) is None
