"""The duty log's equipment (DUTY-6): chosen by station, each by its double name (OPS-15), and
only equipment of the entry's own site (ORG-2)."""

import re

from zhiban.core.actors import CLI, Source
from zhiban.org import services as org

BASE = "/centres/alpha"


def equipment(site, name, number):
    return org.equipment_create(
        actor=CLI,
        source=Source.CLI,
        centre=site.centre,
        data={
            "site": site.pk,
            "kind": "main_transformer",
            "name": name,
            "dispatch_number": number,
            "active": True,
        },
    )


def two_stations(world):
    s1 = world.sites["station"]
    s2 = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "S2", "name": "二号变", "kind": "substation", "active": True},
    )
    return s1, s2, equipment(s1, "1号主变", "#1"), equipment(s2, "1号主变", "#1")


def test_log_form_groups_equipment_by_station_with_double_names__OPS_15(world, web):
    _s1, _s2, first, second = two_stations(world)
    page = web(world.people["chief_a"]).get("/c/alpha/duty/log/").content.decode()
    select = re.search(r'<select name="equipment".*?</select>', page, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _options in groups] == ["一号变", "二号变"]
    for (_label, options), item in zip(groups, (first, second), strict=True):
        assert re.search(rf'<option value="{item.pk}">1号主变 #1</option>', options)


def test_log_refuses_equipment_of_another_station__ORG_2(world, api):
    s1, _s2, first, second = two_stations(world)
    chief = api(world.people["chief_a"])
    body = {"category": "anomaly", "text": "1号主变油温偏高", "site": s1.pk}
    wrong = chief.post(f"{BASE}/log", {**body, "equipment": second.pk})
    assert wrong.status_code == 422
    (message,) = wrong.json()["fields"]["equipment"]
    assert "ORG-2" in message and "二号变" in message
    right = chief.post(f"{BASE}/log", {**body, "equipment": first.pk})
    assert right.status_code == 201 and right.json()["equipment_id"] == first.pk
