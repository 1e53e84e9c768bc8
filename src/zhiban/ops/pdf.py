"""Operation tickets on paper (OPS-13): the standard 变电站（发电厂）倒闸操作票 on A4 — unit and
number, who gave and received the order and when, start and end of the operation, the mode
(监护下操作), the task with its equipment by double name (OPS-15), the steps table (顺序 /
操作项目 / √ / 时间) whose header repeats on every page, "以下空白" under the last step, remarks
and the signatures of operator, guardian and person in charge (值班负责人（值长）).

Stamps as the paper rules place them: "已执行" under the last step of a completed ticket,
"终止操作" there for a terminated one with "未执行" on each step not executed, "作废" over the
task of a voided ticket (the reason in the remarks), and "已执行" on the steps the centre
stamped after an interrupted sequence control (OPS-10). Stamp words are the states' own
names, so they print in the reader's language.

Each ticket numbers its own pages ("第 x 页 共 y 页" of the ticket), also in a month's file
(月底统一装订): an index, then each ticket from a new page, in number order. The month is
rendered ``BATCH`` tickets at a time and the parts bound into one file (ADR 0006), so its
memory does not grow with the month. Times are the centre's (``centre.tz``)."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhiban.core.pdf import bind, page_numbers, render_parts, render_pdf
from zhiban.core.timewindow import safe_localtime

from .models import Executor, StepState, TicketState

FORM_ROWS = 17  # a short ticket still prints as the ruled form: lines down to here
WRAPPED_LABELS = 4  # lines the head takes more where its labels are not Chinese (they wrap)
LINE_CHARS = 32  # about this many characters fit on a line of the 操作项目 column
REMARK_CHARS = 44  # … and on a line of the remarks, which span the table
BATCH = 20  # tickets of a month's file laid out in one WeasyPrint render (ADR 0006)
TEMPLATE = "ops/ticket_pdf.html"


def _at(value, tz, fmt: str) -> str:
    """A stored time in the centre's zone; one the zone cannot hold as stored (DESIGN rule 5)."""
    return dateformat.format(safe_localtime(value, tz), fmt) if value else ""


def _colon() -> str:
    """What follows a label in the reader's language ("：" in Chinese)."""
    return _("%(label)s: %(value)s") % {"label": "", "value": ""}


def _rows(ticket, tz) -> list[dict]:
    """The steps: √ and the time of a ticked step (the date too if not the start day), a stamp
    on a step stamped executed or not executed."""
    start_day = _at(ticket.started_at, tz, "Y-m-d")
    rows = []
    for step in ticket.steps.all():
        day = _at(step.done_at, tz, "Y-m-d")
        rows.append(
            {
                "seq": step.seq,
                "text": step.text,
                "tick": "√" if step.state == StepState.DONE else "",
                "time": _at(step.done_at, tz, "H:i" if day == start_day else "m-d H:i"),
                "stamp": step.get_state_display()
                if step.state in (StepState.STAMPED, StepState.NOT_DONE)
                else "",
            }
        )
    return rows


def _remarks(ticket, tz) -> list[str]:
    colon = _colon()
    lines = [line for line in ticket.remarks.splitlines() if line.strip()]
    if ticket.end_reason:
        lines.append(f"{_('why voided or terminated')}{colon}{ticket.end_reason}")
    lines += [
        f"{_('anomaly')} {_at(note.at, tz, 'H:i')}{colon}{note.text}" for note in ticket.notes.all()
    ]
    if ticket.continues_id:
        lines.append(f"{_('continues ticket')}{colon}{ticket.continues.number}")
    follow = [t.number for t in ticket.continued_by.all()]
    if follow:
        lines.append(f"{_('continued by')}{colon}{'、'.join(follow)}")
    return lines


def _lines(rows, remarks) -> int:
    """About how many lines the steps, "以下空白" and long remarks take, so that the blank
    rows of a short ticket never push its foot onto a second page."""
    steps = sum(-(-len(r["text"]) // LINE_CHARS) for r in rows)
    notes = sum(-(-len(line) // REMARK_CHARS) for line in remarks)
    head = 0 if (get_language() or "").startswith("zh") else WRAPPED_LABELS
    return head + steps + 1 + max(0, notes - 2)  # the remarks cell holds two lines


def sheet(ticket) -> dict:
    """What one printed ticket shows, its times in its centre's zone."""
    tz = ticket.centre.tz
    when = _("Y-m-d H:i")
    rows, remarks = _rows(ticket, tz), _remarks(ticket, tz)
    unit = ticket.centre.name
    if ticket.executor == Executor.TEAM and ticket.team:
        unit = f"{unit} {ticket.team.name}"
    return {
        "t": ticket,
        "unit": unit,
        "ordered": _at(ticket.ordered_at, tz, when),
        "started": _at(ticket.started_at, tz, when),
        "ended": _at(ticket.ended_at, tz, when),
        "equipment": "、".join(e.double_name for e in ticket.equipment.all()),
        "rows": rows,
        "blank": range(max(0, FORM_ROWS - _lines(rows, remarks))),
        "task_stamp": ticket.get_state_display() if ticket.state == TicketState.VOIDED else "",
        "end_stamp": ticket.get_state_display()
        if ticket.state in (TicketState.COMPLETED, TicketState.TERMINATED)
        else "",
        "remarks": remarks,
    }


def _context(title: str, sheets: list[dict], **more) -> dict:
    return {
        "title": title,
        "sheets": sheets,
        "colon": _colon(),
        "sheet_numbers": page_numbers("string(sheets)"),  # the ticket's pages, not the file's
        **more,
    }


def ticket_pdf(ticket) -> bytes:
    """One operation ticket on A4 (OPS-13); a long one flows onto more pages."""
    return render_pdf(TEMPLATE, _context(ticket.number, [sheet(ticket)]), tz=ticket.centre.tz)


def _count_pages(pages: dict[int, int], progress, total: int, document) -> None:
    """Each ticket's page count in a laid-out batch into ``pages`` (its pk → pages), from the
    page its sheet starts on: the first with its anchor (the pages it flows onto have it too);
    then ``progress(tickets counted, total)`` if given."""
    first: dict[int, int] = {}
    for n, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("ticket-"):
                first.setdefault(int(anchor.removeprefix("ticket-")), n)
    starts = sorted((n, pk) for pk, n in first.items())
    ends = [n for n, _pk in starts[1:]] + [len(document.pages)]
    pages.update((pk, end - n) for (n, pk), end in zip(starts, ends, strict=True))
    if progress is not None:
        progress(len(pages), total)


def month_pdf(tickets, *, centre, month: date, team=None, progress=None) -> bytes:
    """A month's tickets bound as one file (月底统一装订, OPS-13): an index of numbers, tasks,
    states and page counts, then every ticket from a new page in the order given (number
    order, ``selectors.ticket_month``), each numbered "第 x 页 共 y 页" of its own. ``team``
    names whose tickets they are: a Team, or ``Executor.CENTRE`` for the centre's own, or None
    for all. Rendered ``BATCH`` tickets at a time; the index last, as it shows the counts.
    ``progress(done, total)``, if given, hears the tickets laid out after each batch (issue 15)."""
    tickets = list(tickets)
    whose = Executor.CENTRE.label if team == Executor.CENTRE else (team.name if team else "")
    states = [t.state for t in tickets]
    title = _("Operation tickets of %(month)s") % {"month": f"{month:%Y-%m}"}
    pages: dict[int, int] = {}
    parts = render_parts(
        TEMPLATE,
        (
            _context(title, [sheet(t) for t in tickets[i : i + BATCH]])
            for i in range(0, len(tickets), BATCH)
        ),
        tz=centre.tz,
        each=partial(_count_pages, pages, progress, len(tickets)),
    )
    index = render_pdf(
        TEMPLATE,
        _context(
            title,
            [],
            index={
                "centre": centre,
                "whose": str(whose),
                "summary": _(
                    "%(count)s tickets: %(completed)s completed, %(voided)s voided, "
                    "%(terminated)s terminated"
                )
                % {
                    "count": len(states),
                    "completed": states.count(TicketState.COMPLETED),
                    "voided": states.count(TicketState.VOIDED),
                    "terminated": states.count(TicketState.TERMINATED),
                },
                "rows": [{"t": t, "pages": pages[t.pk]} for t in tickets],
            },
        ),
        tz=centre.tz,
    )
    return bind([index, *parts], title=title)
