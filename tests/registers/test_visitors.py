"""The visitor register (访客登记, REG-1) through the API and the pages: entry to the
monitoring room only after a named department leader approved; leaving only after arriving;
visitors in the room join the handover; another centre's visitor is 404 (ORG-3)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhiban.duty import handover_sources
from zhiban.registers.models import Visitor

from .conftest import local

V = "/centres/room/registers/visitors"
BODY = {
    "name": "陈建华",
    "organisation": "安泰消防维保",
    "reason": "消防主机年检",
    "escort": "徐辉",
}


def _visitor(reg, login="leader") -> dict:
    answer = reg.as_(login).post(V, BODY)
    assert answer.status_code == 201, answer.content
    return answer.json()


def _approve(reg, visitor) -> dict:
    answer = reg.as_("head").post(f"{V}/{visitor['id']}/approve", {"version": visitor["version"]})
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_arrival_before_approval_refused__REG_1(reg):
    visitor = _visitor(reg)
    answer = reg.as_("leader").post(f"{V}/{visitor['id']}/arrive", {"version": 1})
    assert answer.status_code == 409
    assert answer.json()["rule"] == "REG-1" and "REG-1" in answer.json()["message"]
    assert Visitor.objects.get().arrived_at is None


def test_approved_visitor_arrives_and_leaves_with_the_leader_named__REG_1(reg):
    visitor = _approve(reg, _visitor(reg))
    assert visitor["decided_by_id"] == reg.people["head"].pk
    arrived = reg.as_("leader").post(f"{V}/{visitor['id']}/arrive", {"version": 2})
    assert arrived.status_code == 200 and arrived.json()["state"] == "in_room"
    left = reg.as_("leader").post(f"{V}/{visitor['id']}/leave", {"version": 3})
    assert left.status_code == 200, left.content
    assert left.json()["state"] == "left" and left.json()["left_at"] >= arrived.json()["arrived_at"]


def test_leaving_before_arriving_refused__REG_1(reg):
    visitor = _approve(reg, _visitor(reg))
    answer = reg.as_("leader").post(f"{V}/{visitor['id']}/leave", {"version": 2})
    assert answer.status_code == 409 and answer.json()["rule"] == "REG-1"
    arrived = reg.as_("leader").post(f"{V}/{visitor['id']}/arrive", {"version": 2}).json()
    earlier = local(timezone.now() - timedelta(hours=1))
    answer = reg.as_("leader").post(
        f"{V}/{visitor['id']}/leave", {"version": arrived["version"], "at": earlier}
    )
    assert answer.status_code == 409 and answer.json()["rule"] == "REG-1"
    assert Visitor.objects.get().left_at is None


def test_refused_visitor_never_enters__REG_1(reg):
    visitor = _visitor(reg)
    reg.as_("head").post(
        f"{V}/{visitor['id']}/refuse", {"version": 1, "decision_note": "无公务事由"}
    )
    answer = reg.as_("leader").post(f"{V}/{visitor['id']}/arrive", {"version": 2})
    assert answer.status_code == 409 and answer.json()["rule"] == "REG-1"


def test_only_a_department_leader_approves__REG_1(reg):
    visitor = _visitor(reg)
    answer = reg.as_("leader").post(f"{V}/{visitor['id']}/approve", {"version": 1})
    assert answer.status_code == 403
    assert Visitor.objects.get().state == "pending"


def test_visitor_in_the_room_joins_the_handover_not_blocking__REG_1(reg):
    visitor = _approve(reg, _visitor(reg))
    reg.as_("leader").post(f"{V}/{visitor['id']}/arrive", {"version": 2})
    things = [t for t in handover_sources.gather(reg.room) if t.kind == "register"]
    assert len(things) == 1 and "陈建华" in things[0].text and not things[0].blocks
    assert "REG-1" in things[0].text
    reg.as_("leader").post(f"{V}/{visitor['id']}/leave", {"version": 3})
    assert not [t for t in handover_sources.gather(reg.room) if t.kind == "register"]


def test_pages_record_approve_arrive_and_leave__REG_1(reg):
    leader, head = reg.web("leader"), reg.web("head")
    new = leader.post(reverse("registers:visitor_new", args=["room"]), BODY)
    assert new.status_code == 302
    visitor = Visitor.objects.get()
    arrive = reverse("registers:visitor_arrive", args=["room", visitor.pk])
    early = leader.post(arrive, {"version": 1})
    assert early.status_code == 409 and "REG-1" in early.content.decode()
    head.post(reverse("registers:visitor_approve", args=["room", visitor.pk]), {"version": 1})
    page = leader.get(reverse("registers:visitor_detail", args=["room", visitor.pk]))
    assert 'data-testid="arrive"' in page.content.decode()
    assert leader.post(arrive, {"version": 2}).status_code == 302
    leave = reverse("registers:visitor_leave", args=["room", visitor.pk])
    assert leader.post(leave, {"version": 3}).status_code == 302
    assert Visitor.objects.get().state == "left"
    missing = leader.post(leave, {})
    assert missing.status_code == 422  # the version read is required (DESIGN-1)


def test_list_export_and_other_centre__REG_1(reg):
    visitor = _visitor(reg)
    assert reg.as_("monitor").get(V).json()["count"] == 1
    export = reg.web("monitor").get("/c/room/registers/visitors/?export=xlsx")
    assert export.status_code == 200
    assert reg.as_("monitor_b").get(f"{V}/{visitor['id']}").status_code == 404
    assert (
        reg.web("monitor_b").get(f"/c/room/registers/visitors/{visitor['id']}/").status_code == 404
    )
