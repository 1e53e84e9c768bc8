"""Big-screen and remote-operation use (REG-9): who, when, why, approved by a named
department leader; through the API and the pages; another centre's entry is 404 (ORG-3)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhiban.registers.models import ScreenUse

from .conftest import local

S = "/centres/room/registers/screen-use"


def _body(**changes):
    now = timezone.now()
    return {
        "kind": "remote_operation",
        "used_by": "朱文",
        "purpose": "远程重启二层球机",
        "starts_at": local(now + timedelta(hours=1)),
        "ends_at": local(now + timedelta(hours=2)),
    } | changes


def test_use_recorded_with_who_when_why_and_approver__REG_9(reg):
    created = reg.as_("monitor").post(S, _body())
    assert created.status_code == 201, created.content
    use = created.json()
    assert use["state"] == "pending" and use["used_by"] == "朱文"
    approved = reg.as_("head").post(f"{S}/{use['id']}/approve", {"version": 1}).json()
    assert approved["state"] == "approved"
    assert approved["decided_by_id"] == reg.people["head"].pk


def test_until_before_from_refused__REG_9(reg):
    body = _body(ends_at=_body()["starts_at"])
    answer = reg.as_("monitor").post(S, body)
    assert answer.status_code == 422 and answer.json()["rule"] == "REG-9"
    assert "ends_at" in answer.json()["fields"]


def test_refusal_names_the_rule_and_needs_a_reason__REG_9(reg):
    use = reg.as_("monitor").post(S, _body()).json()
    bare = reg.as_("head").post(f"{S}/{use['id']}/refuse", {"version": 1})
    assert bare.status_code == 422 and bare.json()["rule"] == "REG-9"
    page = reg.web("head").post(
        reverse("registers:screen_use_refuse", args=["room", use["id"]]),
        {"version": 1, "decision_note": "与开业时段冲突"},
    )
    assert page.status_code == 302
    assert ScreenUse.objects.get().state == "refused"
    twice = reg.as_("head").post(f"{S}/{use['id']}/approve", {"version": 2})
    assert twice.status_code == 409 and twice.json()["rule"] == "REG-9"


def test_pages_list_new_and_other_centre__REG_9(reg):
    monitor = reg.web("monitor")
    new = monitor.post(reverse("registers:screen_use_new", args=["room"]), _body())
    assert new.status_code == 302
    use = ScreenUse.objects.get()
    assert "远程重启" in monitor.get("/c/room/registers/screen-use/").content.decode()
    assert reg.web("monitor_b").get(f"/c/room/registers/screen-use/{use.pk}/").status_code == 404
