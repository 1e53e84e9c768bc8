"""Notifications: in-app (live to the bell), e-mail and the WeCom / DingTalk / Feishu robots,
sent through a durable outbox with retries — a failing receiver never blocks or loses a write."""

import base64
import hashlib
import hmac
import json
import urllib.parse
from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from zhiban.core import services
from zhiban.core.models import Notification, OutboxMessage

from ..conftest import make_person


def add_robot(api, world, channel, url, secret=""):
    r = api(world.people["admin_a"]).post(
        "/centres/alpha/chat-robots",
        {"name": channel, "channel": channel, "url": url, "secret": secret, "min_level": "info"},
    )
    assert r.status_code == 201, r.content
    return r.json()


def set_deadline(api, world, assignee="leader_a"):
    return api(world.people["chief_a"]).post(
        "/centres/alpha/deadlines",
        {
            "object_type": "org.site",
            "object_id": world.sites["station"].pk,
            "name": "消缺",
            "due_at": (timezone.now() + timedelta(hours=2)).isoformat(),
            "assignee": world.people[assignee].pk,
        },
    )


def test_in_app_notifications_count_and_read(world, api):
    set_deadline(api, world)
    leader = api(world.people["leader_a"])
    unread = leader.get("/notifications?unread=true").json()
    assert unread["count"] == 1 and "消缺" in unread["items"][0]["title"]
    note = unread["items"][0]
    assert leader.post(f"/notifications/{note['id']}/read").json()["read_at"]
    assert leader.get("/notifications?unread=true").json()["count"] == 0
    set_deadline(api, world)
    set_deadline(api, world)
    assert leader.post("/notifications/read-all").json() == {"count": 2}
    # nobody reads another person's notifications
    assert api(world.people["chief_a"]).post(f"/notifications/{note['id']}/read").status_code == 404


def test_bell_shows_unread_and_lists_them(world, api, web):
    set_deadline(api, world)
    client = web(world.people["leader_a"])
    page = client.get("/c/alpha/").content.decode()
    assert 'data-testid="unread">1<' in page
    menu = client.get("/notifications/?bell=1").content.decode()
    assert "消缺" in menu


def test_email_goes_through_the_outbox(world, api):
    make_person(world.alpha, "mailer", "team_leader", email="mailer@example.com")
    from zhiban.org.models import Person

    set_deadline(api, world, assignee="leader_a")
    api(world.people["chief_a"]).post(
        "/centres/alpha/deadlines",
        {
            "object_type": "org.site",
            "object_id": world.sites["station"].pk,
            "name": "邮件测试",
            "due_at": (timezone.now() + timedelta(hours=2)).isoformat(),
            "assignee": Person.objects.get(username="mailer").pk,
        },
    )
    assert OutboxMessage.objects.filter(channel="email", state="pending").count() == 1
    assert services.outbox_deliver_due() == {"deliver": 1}
    assert len(mail.outbox) == 1 and "邮件测试" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["mailer@example.com"]


def test_robots_receive_their_own_formats_and_signatures(world, api, robot):
    add_robot(api, world, "wecom", f"{robot.url}/cgi-bin/webhook/send?key=abc")
    add_robot(api, world, "dingtalk", f"{robot.url}/robot/send?access_token=t", secret="SECdd")
    add_robot(api, world, "feishu", f"{robot.url}/open-apis/bot/v2/hook/x", secret="fs-secret")
    set_deadline(api, world)
    assert services.outbox_deliver_due() == {"deliver": 3}
    by_path = {path.split("?")[0]: (path, body) for path, body in robot.received}

    _, wecom = by_path["/cgi-bin/webhook/send"]
    assert wecom["msgtype"] == "text" and "消缺" in wecom["text"]["content"]

    path, ding = by_path["/robot/send"]
    assert ding["msgtype"] == "text" and "消缺" in ding["text"]["content"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(
        hmac.new(b"SECdd", f"{timestamp}\nSECdd".encode(), hashlib.sha256).digest()
    ).decode()
    assert sign == expected

    _, feishu = by_path["/open-apis/bot/v2/hook/x"]
    assert feishu["msg_type"] == "text" and "消缺" in feishu["content"]["text"]
    expected = base64.b64encode(
        hmac.new(f"{feishu['timestamp']}\nfs-secret".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert feishu["sign"] == expected


def test_failing_robot_never_blocks_or_loses_the_write_and_is_retried(world, api, robot):
    add_robot(api, world, "wecom", f"{robot.url}/hook")
    robot.status = 500
    r = set_deadline(api, world)
    assert r.status_code == 201  # the change is stored whatever the robot does
    assert services.outbox_deliver_due() == {"fail": 1}
    message = OutboxMessage.objects.get(channel="wecom")
    assert message.state == "pending" and message.attempts == 1 and "500" in message.last_error
    assert services.outbox_deliver_due() == {}  # not due again yet (back-off)

    robot.status, robot.answer = 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert services.outbox_deliver_due() == {"fail": 1}  # a refusal in the body is a failure
    robot.answer = {"errcode": 0, "errmsg": "ok"}
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert services.outbox_deliver_due() == {"deliver": 1}
    message.refresh_from_db()
    assert message.state == "sent" and message.attempts == 3


def test_unreachable_robot_is_given_up_after_the_last_attempt_and_admins_told(world, api, settings):
    settings.ZHIBAN_OUTBOX_MAX_ATTEMPTS = 2
    add_robot(api, world, "feishu", "http://127.0.0.1:9/nothing-listens-here")
    set_deadline(api, world)
    assert services.outbox_deliver_due() == {"fail": 1}
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert services.outbox_deliver_due() == {"give_up": 1}
    message = OutboxMessage.objects.get(channel="feishu")
    assert message.state == "dead"
    assert Notification.objects.filter(
        recipient=world.people["admin_a"], title__contains="消缺"
    ).exists()
    retried = services.outbox_retry(
        actor=world.people["admin_a"], source="web", message_id=message.pk
    )
    assert retried.state == "pending" and retried.attempts == 0


def test_robot_secrets_are_not_shown_or_audited(world, api):
    robot = add_robot(
        api,
        world,
        "dingtalk",
        "https://oapi.dingtalk.com/robot/send?access_token=x",
        secret="SECret",
    )
    assert "secret" not in robot
    from zhiban.core.models import AuditEvent

    event = AuditEvent.objects.filter(verb="chat_robot.create").get()
    assert "SECret" not in json.dumps(event.after)


def test_each_reader_gets_the_notification_in_their_own_language(world, api):
    leader = world.people["leader_a"]
    api(leader).client.post("/language/", {"language": "en", "next": "/"})
    set_deadline(api, world, assignee="leader_a")
    set_deadline(api, world, assignee="field_a")
    english = Notification.objects.get(recipient=leader).title
    chinese = Notification.objects.get(recipient=world.people["field_a"]).title
    assert english.startswith("You are responsible: 消缺")
    assert chinese.startswith("由您负责") or "负责" in chinese
