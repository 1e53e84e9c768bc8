"""The operations lists filter by team and station chosen by name from the centre's own
records, not by a typed database id (issue 11); another centre's are not offered (ORG-3)."""

from __future__ import annotations

import pytest

from ..core.test_choosers import beta_team, chooser  # noqa: F401 (beta_team: a fixture)

# the ticket list's step counts once dropped its order: pages shuffled (an error here)
pytestmark = pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")


@pytest.mark.usefixtures("beta_team")
@pytest.mark.parametrize(
    ("path", "name", "own", "other"),
    [
        ("/c/alpha/ops/orders/", "site", "一号变", "一层"),
        ("/c/alpha/ops/tickets/", "site", "一号变", "一层"),
        ("/c/alpha/ops/tickets/", "team", "一队", "贝塔巡逻队"),
        ("/c/alpha/ops/typical/", "site", "一号变", "一层"),
    ],
)
def test_ops_filter_offers_the_centre_records_by_name__ORG_3(
    world,
    web,
    path,
    name,
    own,
    other,
):
    page = web(world.people["chief_a"]).get(path)
    assert page.status_code == 200
    choices = chooser(page.content.decode(), name)
    assert own in choices.values() and other not in choices.values()
    assert choices[""]  # "all" first: no filter by default


def test_tickets_chosen_by_team_on_the_page_and_by_id_in_the_api(flow, web):
    """The chooser sends the team's id: the page lists that team's tickets only, as the API."""
    mine = flow.ticket()
    centre_ticket = flow.ticket(by="deputy_a", executor="centre", team=None)
    team = flow.w.team
    page = web(flow.p["chief_a"]).get("/c/alpha/ops/tickets/", {"team": team.pk})
    html = page.content.decode()
    assert f'<option value="{team.pk}" selected>一队</option>' in html
    assert mine["number"] in html and centre_ticket["number"] not in html
    answer = flow.as_("chief_a").get(f"/centres/alpha/tickets?team={team.pk}").json()
    assert [t["number"] for t in answer["items"]] == [mine["number"]]
