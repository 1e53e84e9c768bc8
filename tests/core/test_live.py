"""The bell updates without reload: the live channel (/ws/live/) pushes the unread count and
each new notification to the person's open consoles (Channels; Redis when REDIS_URL is set)."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from zhiban.asgi import application
from zhiban.core import services
from zhiban.core.actors import CLI, Source
from zhiban.org import services as org

from ..conftest import make_person


def session_cookie(person) -> bytes:
    client = Client()
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


def connect(cookie: bytes | None):
    headers = [(b"origin", b"http://localhost")]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, "/ws/live/", headers=headers)


@pytest.mark.django_db(transaction=True)
def test_bell_receives_new_notifications_live():
    centre = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "live",
            "name": "Live",
            "kind": "power",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    chief = make_person(centre, "chief", "chief_operator")
    leader = make_person(centre, "leader", "team_leader")
    site = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"code": "S", "name": "站", "kind": "substation", "active": True},
    )
    cookie = session_cookie(leader)

    async def scenario():
        socket = connect(cookie)
        connected, _ = await socket.connect()
        assert connected
        assert await socket.receive_json_from(timeout=5) == {"kind": "unread", "unread": 0}
        await sync_to_async(services.deadline_set)(
            actor=chief,
            source=Source.WEB,
            centre=centre,
            target=site,
            data={
                "name": "现场检查",
                "due_at": timezone.now() + timedelta(hours=1),
                "assignee": leader.pk,
            },
        )
        event = await socket.receive_json_from(timeout=5)
        assert event["kind"] == "notification" and event["unread"] == 1
        assert "现场检查" in event["title"]
        await socket.disconnect()
        await database_sync_to_async(
            lambda: connection.close()
        )()  # the consumer thread's connection

    asyncio.run(scenario())


@pytest.mark.django_db(transaction=True)
def test_live_channel_refuses_anonymous_visitors():
    async def scenario():
        socket = connect(None)
        connected, code = await socket.connect()
        assert not connected or code == 4401
        await socket.disconnect()
        await database_sync_to_async(lambda: connection.close())()

    asyncio.run(scenario())
