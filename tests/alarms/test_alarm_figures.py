"""Monthly alarm-management figures per centre, as ISA-18.2 measures them (RPT-1, with INC-1,
INC-2, INC-3, INC-11; the export RPT-2): a November at centre alpha (Asia/Shanghai) built through the gateway API, the
acknowledge and shelve API and sign-in to the roster, read back through the API, the page
(zh-Hans and English) and the .xlsx export.

November holds 19 announced alarms (32 occurrences): a flood of 12 in one 10-minute window,
a limit alarm chattering 15 times over two activations, a stale alarm left active for two
days, and a few others; 5 acknowledged; 14 operator-hours signed in."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from zhiban.alarms import services as alarms
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.duty import services as duty
from zhiban.org import services as org

from ..conftest import make_person

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIGURES = "/centres/alpha/alarm-figures"
PAGE = "/c/alpha/alarms/figures/"
FLOOD = [f"保护装置异常{i:02d}" for i in range(12)]
CHATTER = "主变油温越限"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def zh(text: str) -> str:
    """A msgid as the zh-Hans reader sees it (holds before and after the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(text)


@dataclass
class Month:
    """The month being built: the clock, the gateway account and the chief operator, who act
    through the API (a fresh session each time: the clock jumps days ahead)."""

    clock: object
    gateway: object  # a person with Role.GATEWAY
    chief: object  # the person who acknowledges and shelves
    api: object
    serial: int = 0

    def send(self, when: str, *events) -> None:
        """The gateway posts ``events`` (signal, site, class, action, at[, equipment]) at
        ``when``; every one must be accepted."""
        self.clock.move_to(at(when))
        batch = []
        for signal, site, klass, action, moment, *equipment in events:
            self.serial += 1
            batch.append(
                {
                    "source": "alpha-scada",
                    "id": f"ev-{self.serial:05d}",
                    "at": at(moment).isoformat(),
                    "site": site,
                    "equipment": equipment[0] if equipment else "",
                    "signal": signal,
                    "class": klass,
                    "action": action,
                }
            )
        r = self.api(self.gateway).post("/events", batch)
        assert r.status_code == 200 and r.json()["accepted"] == len(batch), r.content

    def open_alarm(self, signal: str) -> dict:
        """The open alarm of ``signal`` as the console's API lists it."""
        r = self.api(self.chief).get("/centres/alpha/alarms?limit=500")
        assert r.status_code == 200, r.content
        (alarm,) = (a for a in r.json()["items"] if a["signal"] == signal)
        return alarm

    def ack(self, when: str, *signals: str) -> None:
        """The chief operator acknowledges the open alarms of ``signals`` at ``when`` (INC-2)."""
        self.clock.move_to(at(when))
        for signal in signals:
            url = f"/centres/alpha/alarms/{self.open_alarm(signal)['id']}/ack"
            assert self.api(self.chief).post(url).status_code == 200


def chatter(moment: str, times: int) -> list[tuple]:
    """A limit alarm on the main transformer raised and cleared ``times`` times, a minute
    apart."""
    start = at(moment)
    events = []
    for k in range(times):
        raised = start + timedelta(minutes=2 * k)
        for action, when in (("raise", raised), ("clear", raised + timedelta(minutes=1))):
            events.append((CHATTER, "S1", "limit", action, when.strftime("%Y-%m-%d %H:%M"), "#1"))
    return events


def _equipment(world, kind: str, name: str, number: str):
    return org.equipment_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={
            "site": world.sites["station"].pk,
            "kind": kind,
            "name": name,
            "dispatch_number": number,
            "active": True,
        },
    )


def _roster(world) -> dict:
    """早班 08:00–16:00: chief_a and deputy_a on 11-10, chief_a alone on 11-11 (never signs
    in: not counted while others did) and on 12-01 (nobody signs in in December)."""
    early = duty.shift_pattern_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"name": "早班", "starts": "08:00", "ends": "16:00", "active": True},
    )
    places = {}
    for day, login in (
        ("2026-11-10", "chief_a"),
        ("2026-11-10", "deputy_a"),
        ("2026-11-11", "chief_a"),
        ("2026-12-01", "chief_a"),
    ):
        places[day, login] = duty.roster_assign(
            actor=CLI,
            source=Source.CLI,
            centre=world.alpha,
            data={
                "pattern": early.pk,
                "day": day,
                "person": world.people[login].pk,
                "post": "值班",
            },
        )
    return places


@pytest.fixture
def november(world, api):
    """The month described at the top; the clock ends at 2026-12-01 10:00 in Shanghai."""
    alpha, chief = world.alpha, world.people["chief_a"]
    with time_machine.travel(at("2026-10-31 23:00"), tick=False) as clock:
        month = Month(clock, make_person(alpha, "gw_a", Role.GATEWAY), chief, api)
        alarms.alarm_source_create(
            actor=CLI,
            source=Source.CLI,
            centre=alpha,
            data={"code": "alpha-scada", "name": "阿尔法SCADA", "kind": "scada", "active": True},
        )
        org.site_create(
            actor=CLI,
            source=Source.CLI,
            centre=alpha,
            data={"code": "S2", "name": "二号变", "kind": "substation", "active": True},
        )
        _equipment(world, "main_transformer", "1号主变", "#1")
        capacitor = _equipment(world, "capacitor", "1号电容器", "C1")
        places = _roster(world)

        # an alarm of October, still active: stale in November, not counted in it
        month.send("2026-10-31 23:55", ("通信中断", "S1", "abnormal", "raise", "2026-10-31 23:55"))

        # 14 operator-hours: 08:00–16:00 and 10:00–16:00 (to the shift's end, no sign-out)
        for when, login in (("2026-11-10 08:00", "chief_a"), ("2026-11-10 10:00", "deputy_a")):
            clock.move_to(at(when))
            place = places["2026-11-10", login]
            r = api(world.people[login]).post(
                f"/centres/alpha/roster/{place.pk}/sign-in", {"version": place.version}
            )
            assert r.status_code == 200, r.content

        # INC-3: 12 new alarms within 10:00–10:10, half at each station; three acknowledged
        # after 10:00, 9:20 and 18:40; all cleared at 11:00
        flood_at = at("2026-11-10 10:00:30")
        sites = ["S1" if i % 2 == 0 else "S2" for i in range(len(FLOOD))]
        month.send(
            "2026-11-10 10:10",
            *(
                (
                    signal,
                    site,
                    "abnormal",
                    "raise",
                    f"{flood_at + timedelta(seconds=40 * i):%Y-%m-%d %H:%M:%S}",
                )
                for i, (signal, site) in enumerate(zip(FLOOD, sites, strict=True))
            ),
        )
        month.ack("2026-11-10 10:10:30", FLOOD[0], FLOOD[1])
        month.ack("2026-11-10 10:20:30", FLOOD[2])
        month.send(
            "2026-11-10 11:00",
            *(
                (s, site, "abnormal", "clear", "2026-11-10 11:00")
                for s, site in zip(FLOOD, sites, strict=True)
            ),
        )

        # INC-1: chattering — 8 raise/clear pairs, acknowledged after 20 minutes (which closes
        # the alarm), then 7 more pairs on a new alarm: 2 activations, 15 occurrences
        month.send("2026-11-12 14:16", *chatter("2026-11-12 14:00", 8))
        month.ack("2026-11-12 14:20", CHATTER)
        month.send("2026-11-13 09:14", *chatter("2026-11-13 09:00", 7))

        # an accident acknowledged after 2 minutes
        month.send(
            "2026-11-15 10:00", ("开关事故跳闸", "S2", "accident", "raise", "2026-11-15 10:00")
        )
        month.ack("2026-11-15 10:02", "开关事故跳闸")
        month.send(
            "2026-11-15 10:30", ("开关事故跳闸", "S2", "accident", "clear", "2026-11-15 10:30")
        )

        # the capacitor is being commissioned: its alarm is suppressed, not announced
        r = api(world.people["admin_a"]).post(
            "/centres/alpha/commissionings",
            {
                "equipment": capacitor.pk,
                "starts_at": "2026-11-16T08:00:00+08:00",
                "ends_at": "2026-11-16T18:00:00+08:00",
            },
        )
        assert r.status_code == 201, r.content
        month.send(
            "2026-11-16 09:00",
            ("电容器保护动作", "S1", "abnormal", "raise", "2026-11-16 09:00", "C1"),
        )

        month.send(
            "2026-11-20 09:00",
            ("遥信变位", "S1", "info", "raise", "2026-11-20 08:00"),
            ("遥信变位", "S1", "info", "clear", "2026-11-20 09:00"),
        )
        # stale: active since 11-29 00:00, 48 hours at the month's end (cleared on 12-01)
        month.send(
            "2026-11-29 00:00", ("直流系统接地", "S1", "abnormal", "raise", "2026-11-29 00:00")
        )
        # active 4 hours at the month's end: not stale; shelved the next morning
        month.send("2026-11-30 20:00", ("主变油温高", "S2", "limit", "raise", "2026-11-30 20:00"))
        # the month's bounds are in Shanghai: 23:59 is November, 00:00:30 is December
        month.send(
            "2026-12-01 00:01",
            ("月末告知", "S1", "info", "raise", "2026-11-30 23:59"),
            ("月初告知", "S1", "info", "raise", "2026-12-01 00:00:30"),
        )
        month.send(
            "2026-12-01 08:00", ("直流系统接地", "S1", "abnormal", "clear", "2026-12-01 08:00")
        )
        clock.move_to(at("2026-12-01 09:00"))
        oil = month.open_alarm("主变油温高")
        r = api(chief).post(
            f"/centres/alpha/alarms/{oil['id']}/shelve",
            {
                "version": oil["version"],
                "reason": "传感器故障待修",
                "until": "2026-12-01T18:00:00+08:00",
            },
        )
        assert r.status_code == 200, r.content
        clock.move_to(at("2026-12-01 10:00"))
        yield month


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def figures_of(api, person, month: str = "2026-11") -> dict:
    r = api(person).get(f"{FIGURES}?month={month}")
    assert r.status_code == 200, r.content
    return r.json()


def test_new_alarms_of_the_centres_month_by_class_and_site__INC_11(world, api, november):
    f = figures_of(api, world.people["chief_a"])
    assert f["month"] == "2026-11"
    assert moment(f["starts_at"]) == at("2026-11-01 00:00")
    assert moment(f["ends_at"]) == at("2026-12-01 00:00")
    assert f["alarms"] == 19 and f["occurrences"] == 32
    assert f["suppressed"] == 1 and f["shelved"] == 1
    by_class = {c["klass"]: c["alarms"] for c in f["by_class"]}
    assert by_class == {"accident": 1, "abnormal": 13, "limit": 3, "change": 0, "info": 2}
    assert [c["klass"] for c in f["by_class"]] == [
        "accident",
        "abnormal",
        "limit",
        "change",
        "info",
    ]
    assert {s["code"]: s["alarms"] for s in f["by_site"]} == {"S1": 11, "S2": 8}
    december = figures_of(api, world.people["chief_a"], "2026-12")
    assert december["alarms"] == 1 and december["by_class"][-1]["alarms"] == 1


def test_alarms_per_operator_hour_from_signed_in_time_against_isa_benchmarks__RPT_1(
    world, api, november
):
    f = figures_of(api, world.people["chief_a"])
    assert f["hours_basis"] == "signed_in" and f["operator_hours"] == pytest.approx(14)
    assert f["per_operator_hour"] == pytest.approx(19 / 14)
    assert f["per_10_minutes"] == pytest.approx(19 / 14 / 6)
    assert f["rate_level"] == "good"
    assert f["benchmarks"]["acceptable_per_hour"] == 6
    assert f["benchmarks"]["manageable_per_hour"] == 12


def test_month_so_far_falls_back_to_rostered_hours_when_nobody_signed_in__RPT_1(
    world, api, november
):
    f = figures_of(api, world.people["chief_a"], "2026-12")
    assert moment(f["until"]) == at("2026-12-01 10:00")
    assert f["hours_basis"] == "rostered" and f["operator_hours"] == pytest.approx(2)
    assert f["per_operator_hour"] == pytest.approx(0.5)
    assert f["flood"]["windows"] == 60  # ten hours of the month so far
    assert figures_of(api, world.people["chief_a"], "2026-10")["hours_basis"] == "none"


def test_share_of_10_minute_windows_in_flood_follows_the_centres_setting__INC_3(
    world, api, november
):
    flood = figures_of(api, world.people["chief_a"])["flood"]
    assert flood["window_minutes"] == 10 and flood["threshold"] == 10
    assert flood["windows"] == 30 * 144
    assert flood["in_flood"] == 1 and flood["share"] == pytest.approx(1 / 4320)
    assert flood["level"] == "good"  # under 1 %
    assert flood["peak_alarms"] == 12
    assert moment(flood["peak_at"]) == at("2026-11-10 10:00")
    admin = api(world.people["admin_a"])
    version = admin.get("/centres/alpha").json()["version"]
    r = admin.patch(
        "/centres/alpha/settings", {"version": version, "values": {"alarms.flood_count": 12}}
    )
    assert r.status_code == 200, r.content
    flood = figures_of(api, world.people["chief_a"])["flood"]
    assert flood["threshold"] == 12 and flood["in_flood"] == 0  # 12 is not more than 12


def test_top_10_counts_activations_and_occurrences_of_a_chattering_alarm__INC_1(
    world, api, november
):
    f = figures_of(api, world.people["chief_a"])
    top = f["top"]
    assert len(top) == 10
    first = top[0]
    assert (first["signal"], first["site"], first["equipment"]) == (CHATTER, "一号变", "1号主变 #1")
    assert first["source"] == "阿尔法SCADA"
    assert (first["activations"], first["occurrences"]) == (2, 15)
    assert first["share_of_alarms"] == pytest.approx(2 / 19)
    assert first["share_of_occurrences"] == pytest.approx(15 / 32)
    assert all((t["activations"], t["occurrences"]) == (1, 1) for t in top[1:])
    assert f["top_share"] == pytest.approx(24 / 32) and f["top_level"] == "bad"


def test_stale_alarms_are_active_over_24_hours_at_the_month_end_oldest_first__INC_2(
    world, api, november
):
    f = figures_of(api, world.people["chief_a"])
    stale = [(s["signal"], round(s["age_hours"], 2)) for s in f["stale"]]
    assert stale == [("通信中断", round(30 * 24 + 5 / 60, 2)), ("直流系统接地", 48.0)]
    assert f["stale_count"] == 2 and f["stale_level"] == "good"
    december = figures_of(api, world.people["chief_a"], "2026-12")  # at now, 10:00
    assert [(s["signal"], round(s["age_hours"], 2)) for s in december["stale"]] == [
        ("通信中断", round(30 * 24 + 10 + 5 / 60, 2))  # 直流系统接地 cleared at 08:00
    ]
    assert december["stale_count"] == 1


def test_acknowledged_share_and_median_time_to_acknowledge_by_class__INC_2(world, api, november):
    f = figures_of(api, world.people["chief_a"])
    assert f["acked"] == 5 and f["ack_share"] == pytest.approx(5 / 19)
    assert f["median_ack_seconds"] == pytest.approx(600)  # of 120, 560, 600, 1120, 1200
    by_class = {c["klass"]: (c["acked"], c["median_ack_seconds"]) for c in f["by_class"]}
    assert by_class == {
        "accident": (1, 120),
        "abnormal": (3, 600),  # of 560, 600, 1120
        "limit": (1, 1200),
        "change": (0, None),
        "info": (0, None),
    }


def _cell(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert found, testid
    return found[1].strip()


def test_figures_page_in_chinese_and_english__RPT_1(world, web, november):
    client = web(world.people["chief_a"])
    r = client.get(f"{PAGE}?month=2026-11")
    assert r.status_code == 200
    html = r.content.decode()
    assert zh("Alarm-management figures (ISA-18.2)") in html
    assert _cell(html, "rate-value") == "1.36"
    assert _cell(html, "flood-value") == "0.02%"
    assert _cell(html, "top-value") == "75.0%"
    assert _cell(html, "stale-value") == "2"
    assert _cell(html, "alarms-value") == "19"
    assert _cell(html, "ack-value") == "26.3%"
    assert 'data-testid="figure-flood" data-level="good"' in html
    assert 'data-testid="figure-top" data-level="bad"' in html
    assert CHATTER in html and "1号主变 #1" in html and "直流系统接地" in html
    assert '<tr data-klass="abnormal">' in html and "0:10:00" in html  # abnormal's median
    assert 'href="?month=2026-12"' in html  # the next month
    client.post("/language/", {"language": "en"})
    html = client.get(f"{PAGE}?month=2026-11").content.decode()
    for text in (
        "Alarm-management figures (ISA-18.2)",
        "Alarms per operator-hour",
        "Windows in flood (INC-3)",
        "Most frequent alarms (chattering)",
        "Stale alarms (active over 24 hours)",
        "signed-in time",
        "Abnormal",  # INC-11, the power centre's words
    ):
        assert text in html, text
    nav = client.get("/c/alpha/alarms/").content.decode()
    assert 'href="/c/alpha/alarms/figures/"' in nav


def test_figures_export_as_xlsx_with_the_numbers__RPT_2(world, web, api, november):
    for response in (
        web(world.people["chief_a"]).get(f"{PAGE}?month=2026-11&export=xlsx"),
        api(world.people["chief_a"]).get(f"{FIGURES}.xlsx?month=2026-11"),
    ):
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert len(book.sheetnames) == 5
        summary, by_class, by_site, top, stale = (book[name] for name in book.sheetnames)
        values = [row[1] for row in summary.iter_rows(min_row=2, values_only=True)]
        assert "2026-11" in values and 19 in values and 32 in values
        assert 1.36 in values and 0.02 in values and 75.0 in values and 600 in values
        rows = list(by_class.iter_rows(min_row=2, values_only=True))
        assert [r[1] for r in rows] == [1, 13, 3, 0, 2]
        assert rows[1][5] == 600
        assert {r[0]: r[1] for r in by_site.iter_rows(min_row=2, values_only=True)} == {
            "一号变": 11,
            "二号变": 8,
        }
        first = next(top.iter_rows(min_row=2, values_only=True))
        assert first[3] == CHATTER and first[4:6] == (2, 15)
        assert [r[2] for r in stale.iter_rows(min_row=2, values_only=True)] == [
            "通信中断",
            "直流系统接地",
        ]


def test_figures_of_another_centre_are_not_found__ORG_3(world, web, api, november):
    stranger = world.people["guard_b"]
    assert api(stranger).get(f"{FIGURES}?month=2026-11").status_code == 404
    assert api(stranger).get(f"{FIGURES}.xlsx?month=2026-11").status_code == 404
    assert web(stranger).get(f"{PAGE}?month=2026-11").status_code == 404


def test_a_bad_month_of_figures_answers_422_per_field__DESIGN_4(world, web, api):
    r = api(world.people["chief_a"]).get(f"{FIGURES}?month=2026-13")
    assert r.status_code == 422 and "month" in r.json()["fields"]
    page = web(world.people["chief_a"]).get(f"{PAGE}?month=November")
    assert page.status_code == 422 and 'data-field="month"' in page.content.decode()
