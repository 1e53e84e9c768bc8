"""The live pop (issue 12 item 9, CS-1): a call rung to named agents, or answered by one, shows
the caller's card on that agent's open Zhiban page — the live channel (/ws/live/) tells the
page which card to fetch, the card names the caller, their open cases and last contact, and
its button starts the intake with the number filled in."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhiban.core.permissions import Role
from zhiban.service.models import Call, Case, Channel, Contact, Customer

from ..conftest import Api, make_person
from ..core.test_live import connect, session_cookie
from .test_calls import URL, ring, token_of


@pytest.fixture
def pbx(cs):
    """The hotline's telephone system: a gateway account of kefu with its own token."""
    gateway = make_person(cs.kefu, "pbx", Role.GATEWAY)
    return Api(Client(), headers={"Authorization": f"Bearer {token_of(gateway)}"})


def _customer_with_history(cs) -> Customer:
    customer = Customer.objects.create(
        centre=cs.kefu, name="王芳", phone="13800000051", region="吴中区", is_member=True
    )
    now = timezone.now()
    case = Case.objects.create(
        centre=cs.kefu,
        number="KF-2026-00007",
        customer=customer,
        channel=Channel.HOTLINE,
        category="consultation",
        subject="奶卡续订怎么办理",
        opened_at=now,
        owner=cs.people["agent2"],
    )
    Contact.objects.create(
        centre=cs.kefu,
        customer=customer,
        case=case,
        at=now,
        channel=Channel.HOTLINE,
        category="consultation",
        content="询问奶卡续订",
    )
    return customer


async def _events(socket, count: int) -> list[dict]:
    return [await socket.receive_json_from(timeout=5) for _ in range(count)]


@pytest.mark.django_db(transaction=True)
def test_the_rung_and_the_answering_agent_see_the_callers_card_live__CS_1(cs, pbx):
    agent1, agent2 = cs.people["agent1"], cs.people["agent2"]
    cookies = {agent1.pk: session_cookie(agent1), agent2.pk: session_cookie(agent2)}

    async def scenario():
        first, second = connect(cookies[agent1.pk]), connect(cookies[agent2.pk])
        for socket in (first, second):
            connected, _ = await socket.connect()
            assert connected
            assert (await socket.receive_json_from(timeout=5))["kind"] == "unread"
        rung = await sync_to_async(ring)(pbx, user=["agent1"])
        assert rung.status_code == 200, rung.content
        call_id = rung.json()["id"]
        url = reverse("service:call_pop", args=["kefu", call_id])
        [ringing] = await _events(first, 1)
        assert ringing == {"kind": "pop", "key": f"call-{call_id}", "url": url}
        assert await second.receive_nothing(timeout=0.3)  # not rung: no card
        answered = await sync_to_async(pbx.post)(
            URL, {"event": "answer", "callId": "c-1", "user": "agent2"}
        )
        assert answered.status_code == 200
        [on_line] = await _events(second, 1)
        assert on_line == {"kind": "pop", "key": f"call-{call_id}", "url": url}
        replay = await sync_to_async(pbx.post)(
            URL, {"event": "answer", "callId": "c-1", "user": "agent2"}
        )
        assert replay.status_code == 200
        assert await second.receive_nothing(timeout=0.3)  # a replay pops nothing again
        for socket in (first, second):
            await socket.disconnect()
        await database_sync_to_async(lambda: connection.close())()

    asyncio.run(scenario())


def test_the_card_names_the_caller_their_open_cases_and_last_contact__CS_1(cs, pbx):
    _customer_with_history(cs)
    call = ring(pbx, user=["agent1"]).json()
    page = cs.as_("agent1").client.get(reverse("service:call_pop", args=["kefu", call["id"]]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="call-pop"' in text
    assert "王芳" in text and "138 0000 0051" in text and "吴中区" in text
    assert "KF-2026-00007" in text and "询问奶卡续订" in text
    assert "开始登记" in text
    assert f"phone=13800000051&amp;call={call['id']}" in text


def test_an_unknown_callers_card_offers_the_intake_all_the_same__CS_1(cs, pbx):
    call = ring(pbx, number="0512-65520110", user=["agent1"]).json()
    page = cs.as_("agent1").client.get(reverse("service:call_pop", args=["kefu", call["id"]]))
    text = page.content.decode()
    assert page.status_code == 200 and "新来电" in text and "0512-65520110" in text
    assert f"phone=051265520110&amp;call={call['id']}" in text


def test_another_centres_agent_gets_no_card_of_this_centres_call__ORG_3(cs, pbx):
    call = ring(pbx, user=["agent1"]).json()
    other = cs.as_("agent_b").client.get(reverse("service:call_pop", args=["kefu", call["id"]]))
    assert other.status_code == 404
    assert Call.objects.count() == 1
