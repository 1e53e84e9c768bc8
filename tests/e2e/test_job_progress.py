"""Long work in a browser (issue 15; RPT-1, RPT-3): the chief of the demo power centre asks
for last month's report as PDF from its page; the job's page shows the progress bar, polled by
htmx, until the worker inside `zhiban serve` has finished; the file downloads from the page and
the notification links back to the job."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import login

pytestmark = pytest.mark.e2e


def test_monthly_pdf_job_shows_progress_then_downloads__RPT_3_issue_15(page):
    login(page, "zhangwei")
    page.goto("/c/suwu/reports/")
    page.locator("[data-testid=monthly-last]").click()
    expect(page).to_have_url(re.compile(r"/c/suwu/reports/monthly/\d{4}-\d{2}/$"))
    month = page.url.rstrip("/").rsplit("/", 1)[1]
    page.locator("[data-testid=monthly-pdf-job]").click()
    expect(page).to_have_url(re.compile(r"/c/suwu/jobs/\d+/$"))
    job_url = page.url
    expect(page.locator(".progress[role=progressbar]")).to_be_visible()
    # the partial is polled every second and stops once the job has ended
    expect(page.locator("[data-testid=job-progress]")).to_have_attribute(
        "data-state", "done", timeout=120_000
    )
    expect(page.locator(".progress[role=progressbar]")).to_have_attribute("aria-valuenow", "100")

    with page.expect_download() as pdf:
        page.locator("[data-testid=job-download]").click()
    assert pdf.value.suggested_filename == f"suwu-monthly-{month}.pdf"
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.goto("/notifications/")  # the notification opens the job's page
    page.locator(".zb-note-title", has_text=f"{month} · PDF").first.click()
    expect(page).to_have_url(job_url)
