"""List filters choose a team, site or person by name from the centre's own records, not by a
typed database id (issue 11); another centre's names are not offered (ORG-3)."""

from __future__ import annotations

import re

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.org import services as org


def chooser(html: str, name: str) -> dict[str, str]:
    """value → label of the ``<select name=…>`` of the page's filter form."""
    found = re.search(rf'<select name="{name}"[^>]*data-chooser[^>]*>(.*?)</select>', html, re.S)
    assert found, f"no chooser for {name!r} in the filters"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(1)))


@pytest.fixture
def beta_team(world):
    return org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.beta,
        data={"name": "贝塔巡逻队", "kind": "patrol", "active": True},
    )


@pytest.mark.parametrize(
    ("path", "name", "own", "other"),
    [
        ("/c/alpha/org/equipment/", "site", "一号变", "一层"),
        ("/c/alpha/org/memberships/", "team", "一队", "贝塔巡逻队"),
        ("/c/alpha/duty/log/", "site", "一号变", "一层"),
        ("/c/alpha/duty/log/", "author", "Chief_A (chief_a)", "Guard_B (guard_b)"),
        ("/c/alpha/alarms/incidents/", "site", "一号变", "一层"),
        ("/c/alpha/alarms/accidents/", "site", "一号变", "一层"),
    ],
)
def test_filter_offers_the_centre_records_by_name__ORG_3(
    world, web, beta_team, path, name, own, other
):
    page = web(world.people["admin_a"]).get(path)
    assert page.status_code == 200
    choices = chooser(page.content.decode(), name)
    assert own in choices.values()
    assert other not in choices.values()
    assert choices[""]  # "all" comes first, so no filter is the default


def test_chosen_site_filters_the_list_and_the_api_still_takes_the_id(world, web, api):
    """The chooser sends the id: the page and the API filter the same way."""
    site = world.sites["station"]
    client = web(world.people["admin_a"])
    page = client.get("/c/alpha/org/equipment/", {"site": site.pk})
    assert page.status_code == 200
    assert f'<option value="{site.pk}" selected>一号变</option>' in page.content.decode()
    answer = api(world.people["admin_a"]).get(f"/centres/alpha/equipment?site={site.pk}")
    assert answer.status_code == 200
