"""DEF-1, DEF-2: a defect reported is numbered, routed to the team or the centre with the reason
shown, and given its elimination deadline by grade."""

from __future__ import annotations

from datetime import timedelta

import pytest

from zhiban.core.actors import Source
from zhiban.core.models import Deadline
from zhiban.upkeep import services
from zhiban.upkeep.models import Owner


def report(upkeep, person, **data):
    return services.defect_report(
        actor=person,
        source=Source.WEB,
        centre=upkeep.world.alpha,
        data={"grade": "serious", "kind": "local", "phenomenon": "渗油", **data},
    )


@pytest.mark.parametrize(
    ("kind", "site", "owner", "reason"),
    [
        ("local", "station", Owner.TEAM, "local_team"),
        ("counter_full", "station", Owner.TEAM, "counter_full"),
        ("four_remote", "station", Owner.CENTRE, "monitoring_system"),
        ("local", "unserved", Owner.CENTRE, "no_team"),
        ("local", "unit", Owner.CENTRE, "centre_unit"),
    ],
)
def test_defect_routed_by_kind_and_site__DEF_2(upkeep, kind, site, owner, reason):
    defect = report(upkeep, upkeep.world.people["chief_a"], kind=kind, site=upkeep.sites[site].pk)
    assert (defect.owner, defect.routing_reason) == (owner, reason)
    assert (defect.team == upkeep.world.team) == (owner == Owner.TEAM)


def test_elimination_deadline_by_grade_warns_the_team_leader__DEF_1(upkeep):
    defect = report(
        upkeep, upkeep.world.people["field_a"], grade="critical", site=upkeep.sites["station"].pk
    )
    assert defect.due_at - defect.reported_at == timedelta(hours=24)
    deadline = Deadline.objects.get(object_id=str(defect.pk))
    assert deadline.assignee == upkeep.world.people["leader_a"]
    assert defect.number.startswith("QX-")
