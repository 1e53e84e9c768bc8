"""Lost events (丢失事件, INC-1): a sender that numbers its events (``seq`` 1, 2, 3 … per
source) lets the gateway see the numbers that never arrived — a broker that dropped messages
from a full queue, a gateway killed with events in hand.

Each source keeps the highest number seen and the ranges still missing below it
(``AlarmSource.seq_last``, ``seq_gaps``). The events of a batch move them on:

- a number above the highest opens a gap for the numbers skipped, if any;
- a number inside a gap fills it (late arrival: shared subscriptions and several gateways
  do not keep order across batches);
- 1 outside every gap is the sender starting again: the old gaps are forgotten (their
  "lost events" alarm stays until people acknowledge it);
- any other number already passed is ignored (a resent event under a new id).

A source that reaches the gateway for the first time starts from 0, so numbers it sent before
(rejected, say, because the source was not yet set up) are missing too. ``services`` raises
the source's "lost events" alarm when a gap opens and clears it once every gap has filled;
this module holds the pure step and the one locked read and one update per source and batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from .models import AlarmSource, EventAction

MAX_GAPS = 100  # ranges kept per source; the oldest go first (the alarm has named them)
SHOWN = 5  # ranges an alarm's text names

SOURCE_TABLE = AlarmSource._meta.db_table


@dataclass
class Numbers:
    """A source's place in its numbers, and what one batch did to it."""

    last: int
    gaps: list[list[int]]
    opened: list[list[int]] = field(default_factory=list)  # gaps this batch found
    filled: int = 0  # missing numbers that arrived late in this batch
    changed: bool = False


def advance(numbers: Numbers, seqs: list[int]) -> Numbers:
    """Applies a batch's newly stored numbers (any order) to ``numbers``."""
    for seq in sorted(seqs):
        if seq > numbers.last:
            if seq > numbers.last + 1:
                gap = [numbers.last + 1, seq - 1]
                numbers.gaps.append(gap)
                numbers.opened.append(list(gap))
            numbers.last = seq
        elif (gap := next((g for g in numbers.gaps if g[0] <= seq <= g[1]), None)) is not None:
            numbers.gaps.remove(gap)
            numbers.gaps += [
                part for part in ([gap[0], seq - 1], [seq + 1, gap[1]]) if part[0] <= part[1]
            ]
            numbers.gaps.sort()
            numbers.filled += 1
        elif seq == 1:
            numbers.last, numbers.gaps = 1, []
        else:
            continue
        numbers.changed = True
    del numbers.gaps[:-MAX_GAPS]
    return numbers


@dataclass(frozen=True)
class Finding:
    """What a batch means for a source's "lost events" alarm: raise it or clear it."""

    source: AlarmSource
    site_id: int  # the site of the source's first event in the batch: where it is shown
    site_code: str
    action: str
    value: str  # how many numbers are missing
    text: str


def track(new) -> list[Finding]:
    """Moves on the numbers of the sources of a batch's newly stored events (``_Accepted``
    items; those without ``seq`` do not count): one locked read of those sources and one
    update of each whose numbers moved. A gap found raises the alarm naming every range
    still missing; the last missing number arriving clears it."""
    by_source: dict[int, list] = {}
    for accepted in new:
        if accepted.event.seq is not None:
            by_source.setdefault(accepted.source.pk, []).append(accepted)
    if not by_source:
        return []
    numbers = read_locked(sorted(by_source))
    found = []
    for pk, group in by_source.items():
        had_gaps = bool(numbers[pk].gaps)
        step = advance(numbers[pk], [accepted.event.seq for accepted in group])
        first = group[0]
        where = {"source": first.source.code, "ranges": ranges(step.gaps or step.opened)}
        if step.opened:
            text = _("Events %(ranges)s of source %(source)s did not arrive") % where
            action = EventAction.RAISE
        elif had_gaps and step.filled and not step.gaps:
            text = _("The missing events of source %(source)s arrived late") % where
            action = EventAction.CLEAR
        else:
            continue
        value = str(missing(step.gaps))
        found.append(
            Finding(first.source, first.site_id, first.event.site, action, value, text[:300])
        )
    save(numbers)
    return found


def ranges(gaps: list[list[int]]) -> str:
    """``4–6, 9, 12–15`` (the first few ranges, then ``…``)."""
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in gaps[:SHOWN]]
    return ", ".join(shown) + (", …" if len(gaps) > SHOWN else "")


def missing(gaps: list[list[int]]) -> int:
    return sum(b - a + 1 for a, b in gaps)


def read_locked(source_ids: list[int]) -> dict[int, Numbers]:
    """The sources' numbers, locked until commit on PostgreSQL (in id order: no deadlock);
    SQLite's one writer already holds the database."""
    marks = ", ".join(["%s"] * len(source_ids))
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, seq_last, seq_gaps FROM {SOURCE_TABLE} WHERE id IN ({marks}) "
            f"ORDER BY id{lock}",
            source_ids,
        )
        rows = cursor.fetchall()
    return {pk: Numbers(last or 0, _gaps(gaps)) for pk, last, gaps in rows}


def _gaps(value) -> list[list[int]]:
    if isinstance(value, str | bytes):  # SQLite hands JSON back as text
        value = json.loads(value)
    return [list(gap) for gap in value or []]


def save(numbers: dict[int, Numbers]) -> None:
    """One update per source whose numbers moved."""
    changed = [(n.last, json.dumps(n.gaps), pk) for pk, n in numbers.items() if n.changed]
    if not changed:
        return
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {SOURCE_TABLE} SET seq_last = %s, seq_gaps = %s{cast} WHERE id = %s",
            changed,
        )
