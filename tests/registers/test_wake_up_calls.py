"""Wake-up calls (叫醒服务, REG-7) through the API, the pages, the job and the console: a time
in the past is refused naming REG-7; each call is recorded; a miss makes the second call due
the centre's minutes later, a second miss asks for a floor attendant, whose visit is recorded;
the desk is told when a call is due; another centre's call is 404."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhiban.core.models import Notification
from zhiban.registers.models import WakeUpAttempt, WakeUpCall
from zhiban.registers.services.hotel import wake_up_calls_remind

from .conftest import local
from .desk import hotel  # noqa: F401 (fixture)

W = "/centres/hotel/registers/wake-up-calls"


def _book(hotel, minutes=30, **changes) -> dict:  # noqa: F811
    body = {
        "room": "1208",
        "wake_at": local(timezone.now() + timedelta(minutes=minutes)),
        "guest_name": "王先生",
        "requested_by": "客人来电",
    } | changes
    answer = hotel.as_("clerk").post(W, body)
    assert answer.status_code == 201, answer.content
    return answer.json()


def _call(hotel, call, result, login="clerk") -> dict:  # noqa: F811
    answer = hotel.as_(login).post(
        f"{W}/{call['id']}/attempts", {"version": call["version"], "result": result}
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_a_time_in_the_past_refused__REG_7(hotel):  # noqa: F811
    answer = hotel.as_("clerk").post(
        W,
        {
            "room": "1208",
            "wake_at": local(timezone.now() - timedelta(hours=1)),
            "requested_by": "客人来电",
        },
    )
    assert answer.status_code == 422
    assert "REG-7" in str(answer.json()["fields"]["wake_at"])
    assert not WakeUpCall.objects.exists()


def test_a_booking_written_down_afterwards_is_not_before_the_request__REG_7(hotel):  # noqa: F811
    """The night's sheet written down in the morning: the wake-up time after the request is
    kept; one before the request is refused."""
    base = {"room": "0719", "requested_by": "夜班前台"}
    sheet = base | {
        "requested_at": local(timezone.now() - timedelta(hours=9)),
        "wake_at": local(timezone.now() - timedelta(hours=2)),
    }
    assert hotel.as_("clerk").post(W, sheet).status_code == 201
    wrong = base | {
        "requested_at": local(timezone.now() - timedelta(hours=1)),
        "wake_at": local(timezone.now() - timedelta(hours=2)),
    }
    answer = hotel.as_("clerk").post(W, wrong)
    assert answer.status_code == 422 and "REG-7" in str(answer.json()["fields"]["wake_at"])


def test_booked_with_the_request_and_answered__REG_7(hotel):  # noqa: F811
    call = _book(hotel, guest_name="")
    assert call["state"] == "booked" and call["due_at"] == call["wake_at"]
    assert call["requested_at"] and call["guest_name"] == ""
    woken = _call(hotel, call, "answered")
    assert woken["state"] == "answered" and woken["due_at"] is None
    assert woken["attempts"][0]["by_id"] == hotel.people["clerk"].pk
    again = hotel.as_("clerk").post(f"{W}/{call['id']}/attempts", {"version": 2, "result": "busy"})
    assert again.status_code == 409 and again.json()["rule"] == "REG-7"


def test_missed_call_second_call_then_attendant__REG_7(hotel):  # noqa: F811
    call = _book(hotel)
    missed = _call(hotel, call, "no_answer")
    assert missed["state"] == "second_call"
    first = missed["attempts"][0]["at"]
    gap = timezone.datetime.fromisoformat(missed["due_at"]) - timezone.datetime.fromisoformat(first)
    assert gap == timedelta(minutes=5)  # registers.wakeup_retry_minutes
    early = hotel.as_("clerk").post(
        f"{W}/{call['id']}/attendant", {"version": 2, "attendant": "李阿姨", "found": "—"}
    )
    assert early.status_code == 409 and "REG-7" in early.json()["message"]
    twice = _call(hotel, missed, "busy")
    assert twice["state"] == "send_attendant"
    visited = hotel.as_("clerk").post(
        f"{W}/{call['id']}/attendant",
        {"version": twice["version"], "attendant": "李阿姨", "found": "客人已起床，致谢"},
    )
    assert visited.status_code == 200, visited.content
    assert visited.json()["state"] == "visited" and visited.json()["attendant"] == "李阿姨"
    assert WakeUpAttempt.objects.count() == 2


def test_second_call_due_after_the_centres_minutes__REG_7(hotel):  # noqa: F811
    hotel.room.settings = {"registers.wakeup_retry_minutes": 10}
    hotel.room.save()
    missed = _call(hotel, _book(hotel), "no_answer")
    at = timezone.datetime.fromisoformat(missed["attempts"][0]["at"])
    assert timezone.datetime.fromisoformat(missed["due_at"]) - at == timedelta(minutes=10)


def test_stale_version_is_a_conflict__REG_7(hotel):  # noqa: F811
    call = _book(hotel)
    _call(hotel, call, "no_answer")
    stale = hotel.as_("clerk").post(f"{W}/{call['id']}/attempts", {"version": 1, "result": "busy"})
    assert stale.status_code == 409
    assert WakeUpAttempt.objects.count() == 1


def test_the_job_tells_the_desk_once_per_step__REG_7(hotel, fixed_clock):  # noqa: F811
    call = _book(hotel, minutes=10)
    assert wake_up_calls_remind() == 0
    fixed_clock.shift(timedelta(minutes=11))
    assert wake_up_calls_remind() == 1 and wake_up_calls_remind() == 0
    clerk = Notification.objects.filter(recipient=hotel.people["clerk"])
    assert clerk.count() == 1 and "1208" in clerk.get().title
    missed = _call(hotel, call, "no_answer")
    _call(hotel, missed, "no_answer")
    assert wake_up_calls_remind() == 1  # the attendant is due at once
    told = Notification.objects.filter(recipient=hotel.people["supervisor"]).order_by("pk").last()
    assert told.level == "urgent" and "1208" in told.title


def test_other_centres_call_is_404__REG_7(hotel):  # noqa: F811
    call = _book(hotel)
    other = hotel.as_("clerk_b")
    assert other.get(f"/centres/inn/registers/wake-up-calls/{call['id']}").status_code == 404
    page = hotel.web("clerk_b").get(f"/c/inn/registers/wake-up-calls/{call['id']}/")
    assert page.status_code == 404


def test_pages_book_call_and_send_the_attendant__REG_7(hotel):  # noqa: F811
    web = hotel.web("clerk")
    new = reverse("registers:wake_up_call_new", kwargs={"code": "hotel"})
    past = web.post(new, {"room": "1208", "wake_at": "2026-11-28T06:00", "requested_by": "前台"})
    assert past.status_code == 422 and "REG-7" in past.content.decode()
    booked = web.post(new, {"room": "1208", "wake_at": "2026-11-28T11:00", "requested_by": "前台"})
    assert booked.status_code == 302
    call = WakeUpCall.objects.get()
    detail = reverse("registers:wake_up_call_detail", kwargs={"code": "hotel", "pk": call.pk})
    step = reverse("registers:wake_up_call_attempt", kwargs={"code": "hotel", "pk": call.pk})
    assert 'data-testid="do-attempt"' in web.get(detail).content.decode()
    for version in (1, 2):
        done = web.post(step, {"version": version, "attempt-result": "no_answer"})
        assert done.status_code == 302
    page = web.get(detail).content.decode()
    assert 'data-testid="do-attendant"' in page and "REG-7" in page
    send = reverse("registers:wake_up_call_attendant", kwargs={"code": "hotel", "pk": call.pk})
    empty = web.post(send, {"version": 3, "attendant-attendant": ""})
    assert empty.status_code == 422
    sent = web.post(
        send, {"version": 3, "attendant-attendant": "李阿姨", "attendant-found": "客人已起床"}
    )
    assert sent.status_code == 302
    assert WakeUpCall.objects.get().state == "visited"
    timeline = web.get(detail).content.decode()
    assert "李阿姨" in timeline


def test_console_shows_the_next_calls__REG_7(hotel):  # noqa: F811
    _book(hotel, room="0806")
    page = hotel.web("clerk").get("/c/hotel/")
    body = page.content.decode()
    assert 'data-testid="console-desk"' in body and "0806" in body
    assert 'data-testid="console-registers"' not in body


def test_export_and_filters__REG_7(hotel):  # noqa: F811
    _book(hotel, room="0806")
    _book(hotel, room="1208")
    rows = hotel.as_("clerk").get(f"{W}?q=0806").json()
    assert [r["room"] for r in rows["items"]] == ["0806"]
    xlsx = hotel.as_("clerk").get(f"{W}.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")
