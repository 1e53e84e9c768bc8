"""A centre with three shifts (早 08–16, 中 16–24, 夜 00–08) and two crews: the outgoing
早班 of 2026-11-27 (chief_a 正值, deputy_a 副值) and the incoming 中班 (chief_in, deputy_in).
The clock stands at 15:30 in Shanghai unless a test moves it."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhiban.core.actors import CLI, Source
from zhiban.duty import services as duty
from zhiban.duty.models import ShiftPattern

from ..conftest import make_person

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = "2026-11-27"
NOW = datetime(2026, 11, 27, 15, 30, tzinfo=SHANGHAI)


@dataclass
class Duty:
    early: ShiftPattern
    middle: ShiftPattern
    night: ShiftPattern
    out_chief: object
    out_deputy: object
    in_chief: object
    in_deputy: object


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def pattern(centre, name, starts, ends):
    return duty.shift_pattern_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"name": name, "starts": starts, "ends": ends, "active": True},
    )


def place(centre, pattern_, day, person, post):
    return duty.roster_assign(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"pattern": pattern_.pk, "day": day, "person": person.pk, "post": post},
    )


@pytest.fixture
def shifts(world, clock) -> Duty:
    centre = world.alpha
    d = Duty(
        early=pattern(centre, "早班", "08:00", "16:00"),
        middle=pattern(centre, "中班", "16:00", "00:00"),
        night=pattern(centre, "夜班", "00:00", "08:00"),
        out_chief=world.people["chief_a"],
        out_deputy=world.people["deputy_a"],
        in_chief=make_person(centre, "chief_in", "chief_operator", name="接班正值"),
        in_deputy=make_person(centre, "deputy_in", "deputy_operator", name="接班副值"),
    )
    d.out_chief_place = place(centre, d.early, DAY, d.out_chief, "正值")
    d.out_deputy_place = place(centre, d.early, DAY, d.out_deputy, "副值")
    d.in_chief_place = place(centre, d.middle, DAY, d.in_chief, "正值")
    d.in_deputy_place = place(centre, d.middle, DAY, d.in_deputy, "副值")
    for i, name in enumerate(["钥匙", "公共物品", "监控设备运行"]):
        duty.check_item_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={"name": name, "order": i, "active": True},
        )
    return d
