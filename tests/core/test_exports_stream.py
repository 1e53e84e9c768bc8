"""List exports stream their .xlsx (RPT-2, issue 15): the first bytes go out before a row is
read, the rows read back as they were (numbers as numbers, text as text, formulas guarded),
the chunks are made one by one under ASGI too, and memory does not grow with the rows (the
1,000,000-row figures: bench/export_xlsx.py, docs/performance.md "Big exports")."""

import io
import tracemalloc
import warnings
from datetime import UTC, datetime

from asgiref.sync import async_to_sync
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from zhiban.core.actors import SCHEDULER, Source
from zhiban.core.exports import PROGRESS_EVERY, write_xlsx
from zhiban.core.tables import Column, Table
from zhiban.duty.models import LogEntry
from zhiban.duty.services import log_write
from zhiban.duty.tables import LOG

URL = "/c/alpha/duty/log/?export=xlsx"
TEXTS = ['=HYPERLINK("http://x")', "东山变1号电容器自停 & <复归>", "-5", "  两头空格  "]


def entries(world):
    at = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    made = [
        log_write(
            actor=SCHEDULER,
            source=Source.JOB,
            centre=world.alpha,
            category="operation",
            text=text,
            at=at,
            site=world.sites["station"],
        )
        for text in TEXTS
    ]
    return made


def header() -> list[str]:
    with translation.override("zh-hans"):  # the chief operator's language
        return LOG.headers()


def read(content: bytes):
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.values]


def test_streamed_log_export_reads_back_equal_to_the_rows__RPT_2(world, web):
    made = entries(world)
    response = web(world.people["chief_a"]).get(URL)
    assert response.status_code == 200 and response.streaming
    assert "alpha-log-" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(".xlsx")
    rows = read(b"".join(response.streaming_content))
    assert rows[0] == header()
    by_pk = {row[7]: row for row in rows[1:]}
    assert sorted(by_pk) == sorted(e.pk for e in made)  # the id stays a number
    texts = {row[7]: row[2] for row in rows[1:]}
    assert texts[made[0].pk] == '\'=HYPERLINK("http://x")'  # OWASP: never a formula
    assert texts[made[1].pk] == "东山变1号电容器自停 & <复归>"
    assert texts[made[2].pk] == "'-5"  # text that looks like a number stays text
    assert texts[made[3].pk] == "  两头空格  "
    row = by_pk[made[1].pk]
    assert row[0] == "2026-11-27 09:00"  # in the centre's zone, though made after the view
    assert row[3] == str(world.sites["station"])
    assert row[6] is None  # an empty cell, not a formula or a space


def test_the_export_starts_before_its_rows_are_read__RPT_2(world, web):
    entries(world)
    response = web(world.people["chief_a"]).get(URL)
    parts = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(parts)
    assert first.startswith(b"PK\x03\x04")  # the zip's first part is already on its way
    assert not [q for q in queries if "duty_logentry" in q["sql"]]  # no row read yet
    with CaptureQueriesContext(connection) as queries:
        rest = b"".join(parts)
    assert [q for q in queries if "duty_logentry" in q["sql"]]
    assert len(read(first + rest)) == 1 + len(TEXTS)


def test_under_asgi_each_chunk_is_made_as_it_is_sent__RPT_2(world, web):
    """Django reads a plain sync iterator to its end before sending under ASGI (and warns);
    the export's response hands over its chunks one at a time instead."""
    entries(world)
    response = web(world.people["chief_a"]).get(URL)

    async def collect():
        return [part async for part in response]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parts = async_to_sync(collect)()
    assert len(parts) >= 2
    assert len(read(b"".join(parts))) == 1 + len(TEXTS)


TABLE = Table(
    [
        Column("名称", lambda r: f"第{r}行"),
        Column("n", lambda r: r),
        Column("x", lambda r: r / 4),
    ]
)


def test_write_xlsx_reports_progress_and_keeps_numbers__RPT_2(tmp_path):
    seen: list[int] = []
    path = tmp_path / "rows.xlsx"
    write_xlsx(TABLE, range(2 * PROGRESS_EVERY + 7), "行", path, progress=seen.append)
    assert seen == [PROGRESS_EVERY, 2 * PROGRESS_EVERY, 2 * PROGRESS_EVERY + 7]
    rows = read(path.read_bytes())
    assert rows[0] == ["名称", "n", "x"] and len(rows) == 2 * PROGRESS_EVERY + 8
    assert rows[1] == ["第0行", 0, 0.0] and rows[-1] == ["第2006行", 2006, 501.5]


def test_memory_does_not_grow_with_the_rows__RPT_2():
    def peak(n: int) -> int:
        tracemalloc.start()
        write_xlsx(TABLE, range(n), "rows", _Null())
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    small, big = peak(10_000), peak(50_000)
    assert big < small * 1.2 + 64 * 1024, (small, big)


class _Null:
    """A download that keeps nothing (the bytes go to the client)."""

    def write(self, data):
        return len(data)


def test_an_export_of_no_rows_is_a_sheet_with_its_header__RPT_2(world, web):
    assert not LogEntry.objects.filter(centre=world.alpha).exists()
    response = web(world.people["chief_a"]).get(URL)
    assert read(b"".join(response.streaming_content)) == [header()]
