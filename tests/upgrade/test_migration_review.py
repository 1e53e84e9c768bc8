"""Migrations that would lock a big table for long are flagged in review (issue 16; the rule
and its reasons: docs/upgrades.md, "The review rule"). Every migration of Zhiban's apps added
since the last release (one its fixture's manifest does not list) that rewrites or locks a big
table, or runs code (RunPython, RunSQL), carries a line

    # review: locks <table> — <why it is acceptable>

for each such table (for code: naming what it touches), so that the reviewer sees it."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

from django.apps import apps
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

FIXTURES = Path(__file__).parent / "fixtures"
MARKER = re.compile(r"#\s*review:\s*locks\s+(\S+)\s+(?:—|--)\s*\S")

# The tables that grow with every event, change, call or round: millions of rows in a company
# (the figures are bench/'s), where a rewrite or a long lock stops the desks.
BIG = {
    "core_auditevent": "a row for every change (ORG-4)",
    "core_notification": "a row per person told of anything",
    "alarms_alarmevent": "every event the gateways send (INC-1)",
    "alarms_alarm": "2 million in bench/alarms_ingest.py",
    "duty_logentry": "2 million in bench/duty_scale.py",
    "service_customer": "a million in bench/service_scale.py",
    "service_case": "1.35 million for a centre in bench/service_scale.py",
    "service_contact": "3 million in bench/service_scale.py",
    "upkeep_defect": "500,000 in bench/defect_list.py",
    "patrols_patrolround": "a year of rounds in bench/patrol_scale.py",
    "patrols_roundcheck": "every checkpoint of every round",
}
CODE = "code"  # RunPython, RunSQL: which rows they touch cannot be told from outside

# What each operation does to an existing table (PostgreSQL ≥ 15 / SQLite).
REASONS = {
    migrations.AddField: "a column that is not null, has a default, a key or an index: "
    "SQLite copies the table; PostgreSQL builds the index or checks the key under lock",
    migrations.AlterField: "the column changes in the database: SQLite copies the table; "
    "PostgreSQL rewrites it for a new type, scans it for NOT NULL, builds its index",
    migrations.RemoveField: "SQLite rewrites every row (or copies the table for a key)",
    migrations.AddIndex: "an index build without CONCURRENTLY: writes wait on PostgreSQL, "
    "SQLite holds its write lock",
    migrations.AddConstraint: "PostgreSQL checks every row under lock; SQLite copies the table",
    migrations.RemoveConstraint: "SQLite copies the table",
    migrations.AlterUniqueTogether: "a unique index built (PostgreSQL) or the table copied "
    "(SQLite)",
    migrations.RunPython: "code over rows that the migration's one transaction keeps locked",
    migrations.RunSQL: "code over rows that the migration's one transaction keeps locked",
}


def _plain_column(field) -> bool:
    """ADD COLUMN that only changes the catalogue on both engines."""
    if field.many_to_many:  # a table of its own
        return True
    return (
        field.null
        and not field.has_default()
        and not field.has_db_default()
        and not (field.unique or field.primary_key or field.db_index or field.is_relation)
    )


def _in_database(field) -> tuple:
    """A field as the database sees it: not its labels, choices, help or validators."""
    _name, path, args, kwargs = field.deconstruct()
    return path, args, {k: v for k, v in kwargs.items() if k not in field.non_db_attrs}


def _locks(operation, app_label: str, state) -> list[tuple[str, str]]:
    """(table, why) for each big table the operation rewrites or locks for long, (CODE, why)
    for code; ``state`` is the project state just before it."""
    if isinstance(operation, migrations.SeparateDatabaseAndState):
        inner_state, found = state.clone(), []
        for inner in operation.database_operations:
            found += _locks(inner, app_label, inner_state)
            inner.state_forwards(app_label, inner_state)
        return found
    kind = next((k for k in REASONS if isinstance(operation, k)), None)
    if kind is None:
        return []
    if kind in (migrations.RunPython, migrations.RunSQL):
        return [(CODE, REASONS[kind])]
    model_name = getattr(operation, "model_name_lower", None) or operation.name_lower
    model = state.models[app_label, model_name]
    if kind is migrations.AddField and _plain_column(operation.field):
        return []
    if kind is migrations.AlterField and (
        _in_database(model.fields[operation.name]) == _in_database(operation.field)
    ):
        return []  # labels, choices, help: nothing in the database changes
    table = model.options.get("db_table") or f"{app_label}_{model_name}"
    return [(table, REASONS[kind])] if table in BIG else []


def locks(loader: MigrationLoader, key: tuple[str, str]) -> list[tuple[str, str]]:
    """What the migration ``key`` (app label, name) rewrites or locks, in order."""
    state = loader.project_state(key, at_end=False)
    found = []
    for operation in loader.disk_migrations[key].operations:
        found += _locks(operation, key[0], state)
        operation.state_forwards(key[0], state)
    return found


def unmarked(found: list[tuple[str, str]], source: str) -> list[str]:
    """The findings the migration's source does not own up to with a review marker."""
    marked = set(MARKER.findall(source))
    return [
        f"{table}: {why}"
        for table, why in found
        if table not in marked and not (table == CODE and marked)
    ]


def released() -> set[tuple[str, str]]:
    """Every migration of the releases that have a fixture (their manifests list them)."""
    return {
        (app, name)
        for manifest in FIXTURES.glob("*/manifest.json")
        for app, names in json.loads(manifest.read_text())["migrations"].items()
        for name in names
    }


def test_new_migrations_that_lock_a_big_table_say_so_for_review__issue_16():
    """Each migration added since the last release names every big table it rewrites or
    locks, and what its code touches, in a review marker (docs/upgrades.md)."""
    loader = MigrationLoader(None)
    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("zhiban")}
    known = released()
    assert ("core", "0001_initial") in known  # the fixtures are there to compare against
    new = sorted(key for key in loader.disk_migrations if key[0] in ours and key not in known)
    missing = {}
    for key in new:
        source = inspect.getsource(inspect.getmodule(loader.disk_migrations[key]))
        if problems := unmarked(locks(loader, key), source):
            missing[".".join(key)] = problems
    assert missing == {}, (
        "add `# review: locks <table> — <why it is acceptable>` to each migration "
        "(docs/upgrades.md, 'The review rule')"
    )


def test_the_check_finds_what_the_release_s_own_migrations_lock__issue_16():
    """The check on migrations of v0.1.0 (released, so not held to it): duty 0006 added two
    columns to the duty log (SQLite copied the table) around code that made its search
    triggers again; alarms 0003 took the indexes off the alarms' keys (SQLite copied both
    tables); a new small table is not flagged."""
    loader = MigrationLoader(None)
    assert [table for table, _why in locks(loader, ("duty", "0006_log_entry_verb"))] == [
        CODE,
        "duty_logentry",
        "duty_logentry",
        CODE,
    ]
    alarms = {table for table, _why in locks(loader, ("alarms", "0003_lean_indexes"))}
    assert alarms == {"alarms_alarm", "alarms_alarmevent"}
    assert locks(loader, ("ops", "0004_interlock_override")) == []


def test_a_review_marker_owns_up_to_the_lock__issue_16():
    """A marker naming the table clears its findings, and any marker the code's; a marker
    for another table, or without a reason, clears nothing."""
    found = locks(MigrationLoader(None), ("duty", "0006_log_entry_verb"))
    assert len(unmarked(found, "")) == 4
    reason = "# review: locks duty_logentry — two columns; the log is small at one room\n"
    assert unmarked(found, reason) == []
    assert len(unmarked(found, "# review: locks duty_logentry\n")) == 4
    assert (
        unmarked(found, "# review: locks core_auditevent — other\n")
        == [f"duty_logentry: {REASONS[migrations.AddField]}"] * 2
    )
