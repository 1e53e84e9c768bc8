"""The shift report (RPT-1): frozen when the incoming shift takes the handover over, from the
figures each app counts for the outgoing shift (``reports.figures``) and the shift's duty log
by category (DUTY-6). Its texts are kept in every language Zhiban speaks, so the report reads
in the reader's language and never changes after both sides signed."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from zhiban.core import audit
from zhiban.core.errors import Refused
from zhiban.duty import selectors as duty_selectors
from zhiban.duty.models import HandoverState, LogCategory, LogEntry, log_categories

from ..figures import keyed_figures
from ..models import ShiftReport

log = logging.getLogger(__name__)


def texts(value: Any) -> dict[str, str]:
    """A lazy text in each of Zhiban's languages, e.g. {"zh-hans": "…", "en": "…"}."""
    out = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out[code] = str(value)
    return out


def _figures(centre, start, end) -> list[dict]:
    return [
        {
            "app": app,
            "title": texts(title),
            "figures": [
                {
                    "key": f.key,
                    "label": texts(f.label),
                    "value": f.value,
                    "unit": f.unit,
                    "better": f.better,
                    "rule": f.rule,
                }
                for f in figures
            ],
        }
        for app, title, figures in keyed_figures(centre, start, end)
    ]


def _entry(entry: LogEntry) -> dict:
    return {
        "id": entry.pk,
        "at": entry.at.isoformat(),
        "author": entry.author_label,
        "text": entry.text,
        "verb": entry.verb,
        "params": entry.params,
        "site": str(entry.site) if entry.site_id else "",
        "equipment": str(entry.equipment) if entry.equipment_id else "",
        "corrects": entry.corrects_id,
    }


def _entries(centre, start, end) -> list[dict]:
    """The shift's log entries grouped by category, in the order the centre's kind offers
    them (DUTY-6); a category without entries is kept, as the paper book's empty column."""
    found = duty_selectors.log_entries_between(centre=centre, start=start, end=end)
    grouped: dict[str, list[dict]] = {}
    for entry in found:
        grouped.setdefault(entry.category, []).append(_entry(entry))
    offered = [value for value, _label in log_categories(centre.kind, written_by_zhiban=True)]
    order = offered + [c for c in grouped if c not in offered]
    labels = dict(LogCategory.choices)
    return [
        {"category": c, "label": texts(labels.get(c, c)), "entries": grouped.get(c, [])}
        for c in order
    ]


@transaction.atomic
def shift_report_assemble(*, actor, source, handover) -> ShiftReport:
    """RPT-1: freeze the report of the handover's outgoing shift, over the shift's
    [starts, ends) — once: a handover has one report. Refused (DUTY-4) before the incoming
    side has signed."""
    existing = ShiftReport.objects.filter(handover=handover).first()
    if existing is not None:
        return existing
    if handover.state != HandoverState.ACCEPTED:
        raise Refused(
            _("The shift report is made when the incoming side takes the handover over."),
            code="handover_not_accepted",
            rule="DUTY-4",
        )
    shift, centre = handover.outgoing_shift, handover.centre
    report = ShiftReport.objects.create(
        centre=centre,
        handover=handover,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        figures=_figures(centre, shift.starts_at, shift.ends_at),
        entries=_entries(centre, shift.starts_at, shift.ends_at),
    )
    audit.record(
        actor=actor,
        source=source,
        verb="shift_report.assemble",
        obj=report,
        after={"handover": handover.pk, "starts_at": report.starts_at, "ends_at": report.ends_at},
    )
    return report


def on_handover_accepted(*, actor, source, handover) -> None:
    """The duty hook (``duty.hooks``): the outgoing shift's report, in the accept's
    transaction. A report never stops a take-over: if it cannot be assembled, the take-over
    stands, the failure is logged, and ``shift_reports_catch_up`` makes it minutes later."""
    try:
        with transaction.atomic():
            shift_report_assemble(actor=actor, source=source, handover=handover)
    except Exception:  # noqa: BLE001 — the handover (DUTY-4) must not fail on its report
        log.exception("shift report of handover %s not assembled; the catch-up will", handover.pk)


def shift_reports_catch_up(*, actor, source, since) -> int:
    """RPT-1: a report for every handover taken over since ``since`` that has none yet."""
    reported = ShiftReport.objects.values("handover")
    made = 0
    for handover in duty_selectors.handovers_accepted(since=since).exclude(pk__in=reported):
        shift_report_assemble(actor=actor, source=source, handover=handover)
        made += 1
    return made
