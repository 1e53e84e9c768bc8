"""The do-not-disturb check (请勿打扰跟进, REG-8) through the API, the pages and the console:
rooms still showing DND are listed and phoned; answered is done; no answer tells the assistant
manager (department head) and the floor supervisor, and the outcome is recorded."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from zhiban.core.models import Notification
from zhiban.registers.models import DndCheck
from zhiban.registers.services.hotel import dnd_check_remind

from ..clock import SHANGHAI
from .desk import hotel  # noqa: F401 (fixture)

D = "/centres/hotel/registers/dnd-checks"


def _list(hotel, room="0915") -> dict:  # noqa: F811
    answer = hotel.as_("clerk").post(D, {"room": room})
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_answered_is_done__REG_8(hotel):  # noqa: F811
    check = _list(hotel)
    assert check["state"] == "to_call" and check["day"] == "2026-11-28"
    done = hotel.as_("clerk").post(
        f"{D}/{check['id']}/call", {"version": 1, "result": "answered", "note": "客人在休息"}
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "done" and done.json()["outcome"] == "客人在休息"
    assert not Notification.objects.exists()


def test_no_answer_tells_the_managers_then_outcome__REG_8(hotel):  # noqa: F811
    check = _list(hotel)
    missed = hotel.as_("clerk").post(
        f"{D}/{check['id']}/call", {"version": 1, "result": "no_answer"}
    )
    assert missed.status_code == 200 and missed.json()["state"] == "escalated"
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"head", "supervisor"}
    assert "0915" in Notification.objects.first().title
    empty = hotel.as_("clerk").post(f"{D}/{check['id']}/outcome", {"version": 2, "outcome": ""})
    assert empty.status_code == 422
    closed = hotel.as_("supervisor").post(
        f"{D}/{check['id']}/outcome",
        {"version": 2, "outcome": "楼层主管敲门，客人外出未归，房内正常"},
    )
    assert closed.status_code == 200 and closed.json()["state"] == "done"
    again = hotel.as_("clerk").post(f"{D}/{check['id']}/call", {"version": 3, "result": "busy"})
    assert again.status_code == 409 and again.json()["rule"] == "REG-8"


def test_pages_and_console__REG_8(hotel):  # noqa: F811
    web = hotel.web("clerk")
    new = reverse("registers:dnd_check_new", kwargs={"code": "hotel"})
    assert web.post(new, {"room": "1502"}).status_code == 302
    check = DndCheck.objects.get()
    assert 'data-testid="dnd"' in web.get("/c/hotel/").content.decode()
    call = reverse("registers:dnd_check_call", kwargs={"code": "hotel", "pk": check.pk})
    assert web.post(call, {"version": 1, "call-result": "no_answer"}).status_code == 302
    detail = web.get(
        reverse("registers:dnd_check_detail", kwargs={"code": "hotel", "pk": check.pk})
    )
    assert 'data-testid="escalated"' in detail.content.decode()
    other = hotel.web("clerk_b").get(f"/c/inn/registers/dnd-checks/{check.pk}/")
    assert other.status_code == 404


def test_the_desk_is_told_at_the_check_time__REG_8(hotel):  # noqa: F811
    """At registers.dnd_check_time (14:30) the hotel desk is told to list and phone the DND
    rooms; not at another minute; a centre's own time is kept."""
    at = datetime(2026, 11, 28, 14, 30, tzinfo=SHANGHAI)
    assert dnd_check_remind(now=at - timedelta(minutes=1)) == 0
    assert dnd_check_remind(now=at) == 2  # both hotel desks of the fixture
    told = Notification.objects.get(recipient=hotel.people["clerk"])
    assert "14:30" in told.title and "REG-8" in told.title
    hotel.room.settings = {"registers.dnd_check_time": "15:00"}
    hotel.room.save()
    assert dnd_check_remind(now=at) == 1
    assert dnd_check_remind(now=at + timedelta(minutes=30)) == 1
