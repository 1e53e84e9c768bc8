"""Customers' rest hours (CS-7): the centre's setting ``service.rest_hours`` (windows that may
cross midnight) warns a call before it is made — the API answers 409 ``rest_hours`` until the
caller confirms, the page asks to "call anyway" — and a retry after no answer is offered in
another window. A setting that cannot be read never breaks the call list.

The setting is written through the ORM in the arrange step: the centre settings form takes a
text setting only as a ticket prefix (letters, digits, hyphens, 20 characters), which refuses
the documented default itself (``12:00-14:00,21:00-08:00``)."""

from __future__ import annotations

from datetime import datetime

import pytest

from zhiban.service.models import CallAttempt, CampaignMember, Customer

from ..clock import SHANGHAI

TODAY = datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)


def rest_hours(centre, value: str) -> None:
    centre.settings = {**(centre.settings or {}), "service.rest_hours": value}
    centre.save(update_fields=["settings"])


@pytest.fixture
def member(cs):
    """One member customer on agent1's call list."""
    Customer.objects.create(centre=cs.kefu, name="会员", phone="13800000001", is_member=True)
    r = cs.as_("supervisor").post("/service/kefu/campaigns", {"name": "回访", "rule": "members"})
    assert r.status_code == 201, r.content
    return CampaignMember.objects.get(campaign_id=r.json()["id"])


def call(cs, member, result="reached", **extra):
    member.refresh_from_db()
    return cs.as_("agent1").post(
        f"/service/kefu/members/{member.pk}/calls",
        {"version": member.version, "result": result, **extra},
    )


@pytest.mark.parametrize(
    ("hour", "minute", "inside"),
    [
        (7, 59, True),
        (8, 0, False),
        (11, 59, False),
        (12, 0, True),
        (13, 59, True),
        (14, 0, False),
        (20, 59, False),
        (21, 0, True),
        (23, 30, True),
    ],
)
def test_the_default_rest_hours_refuse_a_call_until_confirmed__CS_7(
    cs, member, fixed_clock, hour, minute, inside
):
    """12:00–14:00 and 21:00–08:00 by default; the window after 21:00 runs past midnight."""
    fixed_clock.move_to(TODAY.replace(hour=hour, minute=minute))

    r = call(cs, member)

    if inside:
        assert r.status_code == 409 and r.json()["code"] == "rest_hours"
        assert r.json()["rule"] == "CS-7" and not CallAttempt.objects.exists()
    else:
        assert r.status_code == 200, r.content
        assert not CallAttempt.objects.get().in_rest_hours


def test_a_window_crossing_midnight_and_one_ending_at_24_00__CS_7(cs, member, fixed_clock):
    rest_hours(cs.kefu, "22:00-09:00；18:00-24:00")
    fixed_clock.move_to(TODAY.replace(hour=8, minute=30))
    assert call(cs, member).status_code == 409
    fixed_clock.move_to(TODAY.replace(hour=18, minute=30))
    assert call(cs, member).status_code == 409
    fixed_clock.move_to(TODAY.replace(hour=9))
    assert call(cs, member).status_code == 200


def test_a_setting_that_cannot_be_read_keeps_only_what_it_can__CS_7(cs, member, fixed_clock):
    """Pieces that are not HH:MM-HH:MM are left out; nothing raises when the list is shown."""
    rest_hours(cs.kefu, "lunch, 25:00-26:00, 09:00-11:00, 10:61-12:00")
    page = cs.as_("agent1").client.get("/c/kefu/service/call-list/")
    assert page.status_code == 200
    assert 'data-testid="rest-now"' in page.content.decode()  # 10:00 lies in 09:00–11:00
    assert call(cs, member).status_code == 409

    rest_hours(cs.kefu, "nonsense")
    assert cs.as_("agent1").client.get(f"/c/kefu/service/members/{member.pk}/").status_code == 200
    assert call(cs, member).status_code == 200


def test_no_rest_hours_set_means_every_hour_may_be_called__CS_7(cs, member, fixed_clock):
    rest_hours(cs.kefu, "")
    fixed_clock.move_to(TODAY.replace(hour=23))
    r = call(cs, member, result="no_answer")
    assert r.status_code == 200
    retry = datetime.fromisoformat(r.json()["retry_after"]).replace(second=0, microsecond=0)
    assert retry == datetime(2026, 11, 29, 1, 0, tzinfo=SHANGHAI)  # simply two hours later


def test_a_retry_is_offered_from_the_next_window_two_hours_on__CS_7(cs, member, fixed_clock):
    """Rest 09:00–10:00 leaves one window a day, from 10:00: no answer at 10:30 is tried again
    from 10:00 the next day, not at 12:30 in the same window."""
    rest_hours(cs.kefu, "09:00-10:00")
    fixed_clock.move_to(TODAY.replace(hour=10, minute=30))
    r = call(cs, member, result="no_answer")
    assert r.status_code == 200
    retry = datetime.fromisoformat(r.json()["retry_after"])
    assert retry == datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
    assert cs.as_("agent1").get("/service/kefu/call-list").json()["count"] == 0
    fixed_clock.move_to(retry)
    assert cs.as_("agent1").get("/service/kefu/call-list").json()["count"] == 1
