"""The monthly operation report in a browser (RPT-1, RPT-3, RPT-4): the chief of the demo
power centre opens last month's report from the reports home, sees its charts drawn by
ECharts, and downloads its PDF and its workbook."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .helpers import login

pytestmark = pytest.mark.e2e


def test_monthly_report_draws_charts_and_downloads__RPT_1_RPT_3_RPT_4(page):
    login(page, "zhangwei")
    page.goto("/c/suwu/reports/")
    page.locator("[data-testid=monthly-last]").click()
    expect(page).to_have_url(re.compile(r"/c/suwu/reports/monthly/\d{4}-\d{2}/$"))
    month = page.url.rstrip("/").rsplit("/", 1)[1]
    charts = page.locator("[data-testid^=chart-]")
    expect(charts.first).to_be_visible()
    for index in range(charts.count()):
        expect(charts.nth(index).locator("canvas").first).to_be_attached()
    expect(page.locator("[data-testid^=figure-]").first).to_be_visible()

    with page.expect_download() as pdf:
        page.locator("[data-testid=monthly-pdf]").click()
    assert pdf.value.suggested_filename == f"suwu-monthly-{month}.pdf"
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    with page.expect_download() as xlsx:
        page.locator("[data-testid=monthly-xlsx]").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    with open(xlsx.value.path(), "rb") as handle:  # the saved file has no .xlsx name
        book = load_workbook(BytesIO(handle.read()), read_only=True)
    assert book.sheetnames[0] == "指标"  # the figures, then a sheet per table
    assert len(book.sheetnames) > 1
    first = next(book.worksheets[0].iter_rows(values_only=True))
    assert month in first
