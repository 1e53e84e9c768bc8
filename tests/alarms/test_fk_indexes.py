"""The foreign keys of the event and alarm tables each lead an index (issue 11 item 8): since
``alarms/0003`` they had none, so a deletion of a site, equipment, source or person scanned
the tables (PROTECT looks for rows that still name it)."""

from __future__ import annotations

import pytest
from django.db import connection

from zhiban.alarms.models import AccidentRecord, Alarm, AlarmEvent


@pytest.mark.parametrize("model", [AlarmEvent, Alarm, AccidentRecord], ids=lambda m: m.__name__)
def test_every_foreign_key_is_the_first_column_of_an_index(db, model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    leading = {
        c["columns"][0]
        for c in constraints.values()
        if (c["index"] or c["unique"] or c["primary_key"]) and c["columns"]
    }
    keys = [f.column for f in model._meta.concrete_fields if f.is_relation]
    assert keys and [k for k in keys if k not in leading] == []
