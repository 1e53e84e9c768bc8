"""The split of ops (ADR 0012): a database made before it — a work ticket with its maintenance
tag, a duty-log entry about it, an audit event naming it "ops.workticket" — migrates forward
with its rows, and the work app finds them all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from zhiban.core import audit
from zhiban.core.actors import CLI, Source
from zhiban.duty.models import LogCategory, LogEntry

BEFORE = ("ops", "0004_interlock_override")


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def _leaves() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_work_records_made_before_the_split_are_found_after_it(world, grid, web):
    """Rows, generic references (the log entry's content type) and the audit timeline of a
    work ticket made in ops survive the move to the work app, on SQLite and PostgreSQL."""
    executor = _migrate([BEFORE, ("work", None)])
    assert "ops_workticket" in connection.introspection.table_names()
    old = executor.loader.project_state([BEFORE]).apps
    now = timezone.now().replace(microsecond=0)
    chief, leader = world.people["chief_a"], world.people["leader_a"]
    ticket = old.get_model("ops", "WorkTicket").objects.create(
        centre_id=world.alpha.pk,
        number="ALPHA-G-2026-00001",
        kind="first",
        state="permitted",
        team_id=world.team.pk,
        site_id=world.sites["station"].pk,
        task="苏越线751开关检修",
        location="751开关间隔",
        planned_start=now - timedelta(hours=1),
        planned_end=now + timedelta(hours=5),
        work_leader="王建国",
        issuer="陈立新",
        received_at=now - timedelta(hours=2),
        received_by_id=leader.pk,
    )
    ticket.equipment.add(grid.breaker.pk)
    tag = old.get_model("ops", "MaintenanceTag").objects.create(
        centre_id=world.alpha.pk,
        equipment_id=grid.breaker.pk,
        work_ticket=ticket,
        placed_at=now,
        placed_by_id=chief.pk,
    )
    old_type = ContentType.objects.get(app_label="ops", model="workticket")
    entry = LogEntry.objects.create(
        centre=world.alpha,
        at=now,
        author=chief,
        author_label=chief.name,
        category=LogCategory.OPERATION,
        text="ALPHA-G-2026-00001 开工",
        content_type=old_type,
        object_id=str(ticket.pk),
    )
    with transaction.atomic():
        audit.record(
            actor=CLI,
            source=Source.CLI,
            verb="work.permit",
            centre=world.alpha,
            object_type="ops.workticket",
            object_id=str(ticket.pk),
            object_repr="ALPHA-G-2026-00001",
            before={"state": "received", "work_leader": "王建国"},
            after={"state": "permitted", "work_leader": "王建国"},
        )

    _migrate(_leaves())

    tables = connection.introspection.table_names()
    assert "work_workticket" in tables and "work_workticket_equipment" in tables
    assert "ops_workticket" not in tables
    client = web(chief)
    html = client.get(f"/c/alpha/ops/work/{ticket.pk}/").content.decode()
    assert "ALPHA-G-2026-00001" in html and 'data-testid="tag-badge"' in html
    tags = client.get("/c/alpha/ops/tags/?active=true").content.decode()
    assert f"/c/alpha/ops/tags/{tag.pk}/" in tags
    from zhiban.work.models import WorkTicket

    assert LogEntry.objects.get(pk=entry.pk).regarding == WorkTicket.objects.get(pk=ticket.pk)
    # the page shows the pre-split audit event, read through the model (labels, not raw codes)
    assert 'title="work.permit"' in html
    assert "<del>received</del>" not in html and "<ins>permitted</ins>" not in html
