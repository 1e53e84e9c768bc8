"""Each kind of centre keeps its own duty-log categories (DUTY-6): a hotel room desk is not
offered the power centre's small-current grounding or load limiting, and its form, filters
and API refuse them; the power centre keeps them all."""

import re

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org

from ..conftest import make_person

POWER_ONLY = ("grounding", "load_limiting", "acdc", "operation")


@pytest.fixture
def hotel(world):
    centre = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "hotel",
            "name": "伽马酒店房务中心",
            "kind": "housekeeping",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    return centre, make_person(centre, "clerk_h", Role.CHIEF_OPERATOR, name="房务文员")


def offered(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_hotel_desk_has_its_own_log_categories__DUTY_6(world, hotel, api, web):
    _centre, clerk = hotel
    page = web(clerk).get("/c/hotel/duty/log/").content.decode()
    written = offered(page, "category")
    assert {"phone", "notice", "other"} <= set(written)
    assert not set(POWER_ONLY) & set(written)
    refused = api(clerk).post(
        "/centres/hotel/log", {"category": "grounding", "text": "10kV母线接地"}
    )
    assert refused.status_code == 422 and "category" in refused.json()["fields"]
    filtered = api(clerk).get("/centres/hotel/log?category=grounding")
    assert filtered.status_code == 422 and "category" in filtered.json()["fields"]
    done = api(clerk).post("/centres/hotel/log", {"category": "phone", "text": "1208房要加床"})
    assert done.status_code == 201
    assert api(clerk).get("/centres/hotel/log?category=phone").json()["count"] == 1


def test_power_centre_keeps_the_grid_log_categories__DUTY_6(world, api, web):
    chief = world.people["chief_a"]
    page = web(chief).get("/c/alpha/duty/log/").content.decode()
    assert set(POWER_ONLY) <= set(offered(page, "category"))
    done = api(chief).post(
        "/centres/alpha/log", {"category": "grounding", "text": "一号变10kV母线接地，已选线"}
    )
    assert done.status_code == 201
    listed = api(chief).get("/centres/alpha/log?category=grounding").json()
    assert listed["count"] == 1
