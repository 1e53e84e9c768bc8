"""The survey results (CS-8) as charts and as an .xlsx workbook: the same figures the results
page shows in its tables, one sheet per table."""

from __future__ import annotations

import tempfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhiban.core import charts
from zhiban.core.exports import xlsx_file_response, xlsx_value

from .models import QuestionKind
from .selectors.surveys import DIMENSIONS, SurveyResults

TEXT_ROWS = 10_000  # free-text answers in the workbook, the latest first
CHART_ROWS = 20  # bars in a chart of agents, products or regions (the table has them all)


def dimension_labels() -> dict[str, str]:
    return {
        "period": _("Period"),
        "agent": _("Agent"),
        "product": _("Product"),
        "region": _("Region"),
    }


def sheet_titles() -> dict[str, str]:
    return {
        "period": _("By period"),
        "agent": _("By agent"),
        "product": _("By product"),
        "region": _("By region"),
    }


def _round(value: float | None, digits: int = 2):
    return None if value is None else round(value, digits)


def _percent(share: float | None):
    return None if share is None else round(share * 100, 1)


# --- charts ---------------------------------------------------------------------------------


def results_charts(results: SurveyResults) -> dict:
    """The results page's charts: the average score's trend by period, the average score by
    agent, product and region, and each choice question's shares."""
    found: dict = {"choices": []}
    scored = results.score_questions
    if scored:
        columns = [results.questions.index(q) for q in scored]
        rows = results.breakdowns["period"]
        found["period"] = charts.chart(
            "survey-period",
            charts.line(
                [r.label for r in rows],
                [
                    (q.text, [_round(r.cells[i].average) for r in rows])
                    for q, i in zip(scored, columns, strict=True)
                ],
                y_min=1,
                y_max=5,
            ),
            label=_("Average score by period"),
        )
        titles = {
            "agent": _("Average score by agent"),
            "product": _("Average score by product"),
            "region": _("Average score by region"),
        }
        for dimension, title in titles.items():
            rows = [
                r for r in results.breakdowns[dimension] if any(r.cells[i].answers for i in columns)
            ][:CHART_ROWS]
            if not rows:
                continue
            found[dimension] = charts.chart(
                f"survey-{dimension}",
                charts.bars(
                    [r.label for r in rows],
                    [
                        (q.text, [_round(r.cells[i].average) for r in rows])
                        for q, i in zip(scored, columns, strict=True)
                    ],
                    x_max=5,
                ),
                label=title,
                height=charts.bars_height(len(rows), len(scored)),
            )
    for n, question in enumerate(results.questions):
        if question.kind != QuestionKind.CHOICE or not question.total.answers:
            continue
        shares = question.total.choices
        found["choices"].append(
            charts.chart(
                f"survey-choice-{n}",
                charts.bars(
                    [s.choice for s in shares],
                    [(_("share (%)"), [_percent(s.share) or 0 for s in shares])],
                    x_max=100,
                    suffix="%",
                ),
                label=question.text,
                height=charts.bars_height(len(shares)),
            )
        )
    return found


# --- the workbook ---------------------------------------------------------------------------


def _headers(results: SurveyResults) -> list[str]:
    """Per question: a score question's average and answers; a choice question's share of
    each choice and answers."""
    headers = []
    for q in results.questions:
        if q.kind == QuestionKind.SCORE:
            headers += [f"{q.text} · {_('average')}", f"{q.text} · {_('answers')}"]
        else:
            headers += [f"{q.text} · {c} (%)" for c in q.choices]
            headers.append(f"{q.text} · {_('answers')}")
    return headers


def _cells(results: SurveyResults, cells) -> list:
    values: list = []
    for q, cell in zip(results.questions, cells, strict=True):
        if q.kind == QuestionKind.SCORE:
            values += [_round(cell.average), cell.answers]
        else:
            shares = {s.choice: s.share for s in cell.choices}
            values += [_percent(shares.get(c)) for c in q.choices]
            values.append(cell.answers)
    return values


def _sheet(workbook, title: str, headers: list[str], rows) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([xlsx_value(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
    for index, header in enumerate(headers):
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(
            12, min(40, len(header) + 4)
        )


def results_workbook(results: SurveyResults, texts) -> Workbook:
    """Overview, by period, by agent, by product, by region and the free text, a sheet each."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    overview = []
    for q in results.questions:
        shares = "；".join(
            f"{s.choice} {_percent(s.share)}% ({s.count})" for s in q.total.choices if s.count
        )
        overview.append(
            (
                q.text,
                QuestionKind(q.kind).label,
                q.total.answers,
                _round(q.total.average),
                shares,
            )
        )
    _sheet(
        workbook,
        _("Overview"),
        [_("question"), _("kind"), _("answers"), _("average"), _("choice shares")],
        overview,
    )
    labels, titles = dimension_labels(), sheet_titles()
    for dimension in DIMENSIONS:
        _sheet(
            workbook,
            titles[dimension],
            [labels[dimension], *_headers(results)],
            ([row.label, *_cells(results, row.cells)] for row in results.breakdowns[dimension]),
        )
    _sheet(
        workbook,
        _("Free text"),
        [
            _("answered"),
            _("campaign"),
            _("question"),
            _("answer"),
            _("free text"),
            _("agent"),
            _("customer"),
        ],
        (
            (
                a.at,
                a.question.campaign.name,
                a.question.text,
                a.score if a.score is not None else a.choice,
                a.text,
                a.by.name,
                a.member.customer.name,
            )
            for a in texts[:TEXT_ROWS]
        ),
    )
    return workbook


def results_xlsx(results: SurveyResults, texts, centre):
    """The workbook as a download named after the centre and the span."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    results_workbook(results, texts).save(handle)
    return xlsx_file_response(
        handle, f"{centre.code}-survey-{results.start:%Y%m%d}-{results.end:%Y%m%d}"
    )
