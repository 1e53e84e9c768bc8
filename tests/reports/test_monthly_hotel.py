"""The hotel desk's monthly report (RPT-1, RPT-4): wake-up calls, do-not-disturb follow-ups,
lending and lost and found, each number checked against the records made through the
registers' services on the fixed clock (2026-11-28 10:00 Shanghai); none of the power
centre's words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation

from zhiban.core.actors import Source
from zhiban.core.figures import by_key
from zhiban.registers.selectors import figures as registers
from zhiban.registers.services import desk as desk_services
from zhiban.registers.services import hotel as hotel_services
from zhiban.reports.monthly import hotel as hotel_report

from ..clock import SHANGHAI
from ..registers.conftest import local
from ..registers.desk import hotel  # noqa: F401 (fixture)
from .words import POWER_WORDS, texts

START = datetime(2026, 11, 1, tzinfo=SHANGHAI)
END = datetime(2026, 12, 1, tzinfo=SHANGHAI)
S = Source.CLI


@pytest.fixture
def desk(fixed_clock, hotel):  # noqa: F811
    """Five wake-up calls (one in December), three do-not-disturb rooms, four loans and two
    found items, all of November but the one call."""
    clerk, centre, now = hotel.people["clerk"], hotel.room, timezone.now()

    def book(minutes: int):
        return hotel_services.wake_up_call_create(
            actor=clerk,
            source=S,
            centre=centre,
            data={
                "room": f"{800 + minutes}",
                "wake_at": local(now + timedelta(minutes=minutes)),
                "requested_by": "客人来电",
            },
        )

    def attempt(call, result):
        return hotel_services.wake_up_attempt(
            actor=clerk, source=S, call_id=call.pk, version=call.version, data={"result": result}
        )

    attempt(book(30), "answered")  # woken at the first call
    attempt(attempt(book(60), "no_answer"), "answered")  # woken at the second call
    twice = attempt(attempt(book(90), "no_answer"), "busy")
    hotel_services.wake_up_attendant(
        actor=clerk,
        source=S,
        call_id=twice.pk,
        version=twice.version,
        data={"attendant": "小李", "found": "客人已起床"},
    )
    book(120)  # booked, not yet due
    book(60 * 24 * 4)  # December 2nd: another month

    def dnd(room):
        return hotel_services.dnd_check_create(
            actor=clerk, source=S, centre=centre, data={"room": room}
        )

    def phone(check, result):
        return hotel_services.dnd_check_call(
            actor=clerk, source=S, check_id=check.pk, version=check.version, data={"result": result}
        )

    phone(dnd("1101"), "answered")
    missed = phone(dnd("1102"), "no_answer")
    hotel_services.dnd_check_outcome(
        actor=clerk,
        source=S,
        check_id=missed.pk,
        version=missed.version,
        data={"outcome": "客人在休息"},
    )
    dnd("1103")  # still to be phoned

    def lend(item, lent_hours_ago, due_hours_ahead):
        return desk_services.loan_create(
            actor=clerk,
            source=S,
            centre=centre,
            data={
                "item": item,
                "borrower": "王先生",
                "place": "1208",
                "lent_at": local(now - timedelta(hours=lent_hours_ago)),
                "due_at": local(now + timedelta(hours=due_hours_ahead)),
            },
        )

    def give_back(loan, hours_ago):
        desk_services.loan_return(
            actor=clerk,
            source=S,
            loan_id=loan.pk,
            version=loan.version,
            data={"at": local(now - timedelta(hours=hours_ago))},
        )

    lend("充电器", 2, -1)  # out past its due time: overdue
    give_back(lend("充电器", 3, 1), 1)  # back in time
    lend("雨伞", 1, 5)  # out, not due yet
    give_back(lend("雨伞", 5, -4), 3)  # back an hour late: overdue

    def found(item):
        return desk_services.found_item_create(
            actor=clerk,
            source=S,
            centre=centre,
            data={
                "item": item,
                "found_where": "大堂",
                "found_at": local(now - timedelta(hours=2)),
                "found_by": "保洁员",
                "kept_where": "房务中心",
            },
        )

    wallet = found("钱包")
    found("眼镜")
    desk_services.found_item_hand_back(
        actor=clerk,
        source=S,
        item_id=wallet.pk,
        version=wallet.version,
        data={"claimant": "张女士", "proof_kind": "id_card", "proof_number": "1234"},
    )
    return hotel


EXPECTED = {
    "wakeups_booked": 4,
    "wakeups_woken": 2,
    "wakeups_second_call": 1,
    "wakeups_attendant": 1,
    "wakeups_woken_rate": 66.7,  # 2 woken by phone of the 3 calls to an end
    "dnd_listed": 3,
    "dnd_answered": 1,
    "dnd_escalated": 1,
    "dnd_open": 1,
    "items_lent": 4,
    "items_returned": 2,
    "items_overdue": 2,
    "items_found": 2,
    "items_claimed": 1,
    "items_kept": 1,
}


def test_hotel_figures_count_the_records__RPT_1(desk):
    figures = by_key(registers.period_figures(centre=desk.room, start=START, end=END))
    assert {key: figures[key].value for key in EXPECTED} == EXPECTED
    assert not {"footage_requests", "visitors_arrived", "big_screen_uses"} & set(figures)
    december = by_key(
        registers.period_figures(centre=desk.room, start=END, end=END + timedelta(days=31))
    )
    assert december["wakeups_booked"].value == 1
    assert december["wakeups_woken_rate"].value is None  # nothing to an end: no rate


def test_hotel_month_sections_tables_and_charts__RPT_1_RPT_4(desk):
    sections = hotel_report.build(desk.room, START, END)
    assert [s.key for s in sections] == ["wakeups", "dnd", "lending", "lost_found"]
    shown = {f.key: f.value for s in sections for f in s.figures}
    assert shown == EXPECTED
    tables = {t.key: t for s in sections for t in s.tables}
    day = datetime(2026, 11, 28).date()
    assert tables["wakeups-days"].rows == [[day, 4, 2, 1]]
    assert tables["lending-items"].rows == [["充电器", 2, 1], ["雨伞", 2, 1]]
    ids = [c["id"] for s in sections for c in s.charts]
    assert len(ids) == len(set(ids)) and all(
        c["id"].startswith(s.key.replace("_", "-")) or c["id"].startswith(s.key)
        for s in sections
        for c in s.charts
    )
    days_chart = next(c for s in sections for c in s.charts if c["id"] == "wakeups-days")
    assert len(days_chart["option"]["xAxis"]["data"]) == 30  # every day of November
    booked = days_chart["option"]["series"][0]["data"]
    assert booked[27] == 4 and sum(booked) == 4


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_hotel_report_has_no_power_words__RPT_1(desk, language):
    """Each centre kind sees its own words: no tickets, trips or substations on a hotel desk."""
    with translation.override(language):
        words = texts(hotel_report.build(desk.room, START, END)).lower()
    assert not [w for w in POWER_WORDS if w in words]
    if language == "zh-hans":  # every title, label and header in Chinese
        assert not re.findall(r"[a-z]{3,}", words)
