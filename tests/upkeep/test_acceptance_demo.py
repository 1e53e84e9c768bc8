"""The demo's half-done acceptance of the new station 新建 110kV 木渎变 (ACC-2 … ACC-4):
checking, half ticked by both checkers, one wrong point a defect, one on the summary list and
one undecided, a completion acceptance partly signed and a materials acceptance prepared;
loading it again changes nothing."""

from __future__ import annotations

from zhiban.org import demo as org_demo
from zhiban.upkeep.demo import acceptance as demo
from zhiban.upkeep.models import AcceptanceSheet, SheetKind
from zhiban.upkeep.services.acceptance import progress


def test_demo_has_a_half_done_acceptance_of_a_new_station__ACC_2_ACC_3_ACC_4(db):
    ctx: dict = {}
    org_demo.load(ctx)
    demo.load(ctx)
    demo.load(ctx)  # idempotent
    sheets = AcceptanceSheet.objects.filter(centre=ctx["centres"]["suwu"])
    assert sheets.count() == 3
    four_remote = sheets.get(kind=SheetKind.COMMISSIONING)
    assert four_remote.state == "checking" and four_remote.site.name == "新建 110kV 木渎变"
    p = progress(four_remote)
    assert (p.total, p.both_done, p.centre_done, p.wrong, p.unresolved) == (40, 20, 25, 3, 1)
    assert four_remote.points.filter(defect__isnull=False).count() == 1
    assert four_remote.points.filter(summarised=True).count() == 1
    works = sheets.get(kind=SheetKind.COMPLETION)
    assert progress(works).signatures_missing == ["designer", "client"]
    assert sheets.get(kind=SheetKind.MATERIALS).state == "draft"
