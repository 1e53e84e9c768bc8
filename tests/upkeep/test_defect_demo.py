"""DEF-1: the demo's defects at 苏吴监控中心 — open ones of every grade, one overdue, one in
each state of the lifecycle — and a second run adds nothing."""

from __future__ import annotations

from django.utils import timezone

from zhiban.org import demo as org_demo
from zhiban.upkeep.demo import defects as demo
from zhiban.upkeep.models import Defect, DefectGrade, DefectState
from zhiban.upkeep.models.defects import OPEN_DEFECT_STATES


def test_demo_has_every_grade_open_one_overdue_and_every_state__DEF_1(db):
    ctx: dict = {}
    org_demo.load(ctx)  # the centres, teams, sites and people the defects need
    demo.load(ctx)
    rows = Defect.objects.filter(centre__code="suwu")
    states = set(rows.values_list("state", flat=True))
    assert set(DefectState.values) <= states
    open_ = rows.filter(state__in=OPEN_DEFECT_STATES)
    assert set(DefectGrade.values) <= set(open_.values_list("grade", flat=True))
    assert open_.filter(due_at__lte=timezone.now()).count() >= 1
    count = rows.count()
    demo.load(ctx)
    assert Defect.objects.filter(centre__code="suwu").count() == count
