"""Long work behaves (issue 15; RPT-2): a commissioning sheet's point table (ACC-2) and a shop's
monthly customer records (CS-10) larger than IMPORT_INLINE_BYTES are imported as jobs — a good
file writes every row with its progress and a summary on the job's page, a bad row fails the
job with nothing written and the row listed, and what the page can refuse before reading the
file (a stale version, a sheet no longer prepared, a bad month) is refused on the form, with
no job started."""

from __future__ import annotations

import pytest

from zhiban.core import jobs
from zhiban.core.models import Job, JobState
from zhiban.service.models import Customer, CustomerImport
from zhiban.upkeep.models import AcceptancePoint, SheetState

from ..clock import fixed_clock  # noqa: F401 (fixture)
from ..service.conftest import cs  # noqa: F401 (fixture)
from ..service.test_customer_records import GOOD as RECORDS
from ..service.test_customer_records import workbook
from ..upkeep.point_tables import GOOD as POINTS
from ..upkeep.point_tables import sheet_of, xlsx
from ..upkeep.test_point_table import PAGE, bad_rows
from .test_jobs_progress import counted, started  # noqa: F401 (fixture)

RECORDS_PAGE = "/c/kefu/service/records/import/"


def _uploads() -> list:
    """The files kept for jobs (each deleted when its job ends)."""
    return sorted(p.name for p in jobs.folder().iterdir())


# --- the point table (ACC-2) -----------------------------------------------------------------


def test_the_point_table_as_a_job_writes_every_point_with_its_progress__ACC_2_issue_15(
    world,
    web,
    settings,
    counted,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """A good table as a job: the sheet's points written, the rows checked and then the
    points written heard up to their count, the summary on the job's page."""
    settings.IMPORT_INLINE_BYTES = 0
    sheet = sheet_of(world)
    client = web(world.people["chief_a"])
    job, location = started(
        client,
        PAGE.format(pk=sheet.pk),
        django_capture_on_commit_callbacks,
        {"file": xlsx(POINTS), "version": sheet.version},
    )

    assert job.kind == "upkeep.points_import" and job.state == JobState.DONE, job.message
    assert job.params["sheet"] == sheet.pk and job.params["version"] == 1
    points = AcceptancePoint.objects.filter(sheet=sheet).order_by("seq")
    assert [p.name for p in points] == [row[2] for row in POINTS]
    sheet.refresh_from_db()
    assert sheet.version == 2 and job.report["version"] == 2
    assert job.report["counts"] == {"points": 6} and "6" in job.report["summary"]
    assert (job.done, job.total) == (6, 6)
    assert counted[0] == (0, 6) and counted[-1] == (6, 6)
    assert counted.count((0, 6)) == 2  # the rows checked, then the points written
    page = client.get(location).content.decode()
    assert 'data-testid="job-summary"' in page and 'data-state="done"' in page
    assert "upload" in job.params and not jobs.upload_path(job).exists()


def test_the_point_table_as_a_job_with_bad_rows_writes_nothing__ACC_2_issue_15(
    world, web, settings, django_capture_on_commit_callbacks
):
    """A bad table as a job: the job fails naming ACC-2, no point is written, the sheet keeps
    its version, and each bad row is listed on the job's page."""
    settings.IMPORT_INLINE_BYTES = 0
    sheet = sheet_of(world)
    client = web(world.people["chief_a"])
    job, location = started(
        client,
        PAGE.format(pk=sheet.pk),
        django_capture_on_commit_callbacks,
        {"file": xlsx(bad_rows()), "version": sheet.version},
    )

    assert job.state == JobState.FAILED and "ACC-2" in job.message
    assert [(r["row"], r["column"]) for r in job.report["rows"]] == [
        (3, "信息体地址"),
        (4, "厂站"),
        (5, "类型"),
    ]
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()
    sheet.refresh_from_db()
    assert sheet.version == 1
    page = client.get(location).content.decode()
    assert 'data-testid="job-report"' in page and 'data-state="failed"' in page


@pytest.mark.parametrize("state", [SheetState.DRAFT, SheetState.CHECKING])
def test_a_stale_version_or_a_sheet_no_longer_prepared_starts_no_job__ACC_2_issue_15(
    world, web, settings, state, django_capture_on_commit_callbacks
):
    """Checked before the job starts: a version other than the sheet's, or a sheet whose
    checking has begun, is refused on the form (409) as an inline import is; no job is
    started and no file kept."""
    settings.IMPORT_INLINE_BYTES = 0
    sheet = sheet_of(world, state=state)
    client = web(world.people["chief_a"])
    kept = _uploads()
    stale = sheet.version - 1 if state == SheetState.DRAFT else sheet.version
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(PAGE.format(pk=sheet.pk), {"file": xlsx(POINTS), "version": stale})

    assert r.status_code == 409, r.content[:500]
    assert not Job.objects.exists() and _uploads() == kept
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()
    if state == SheetState.DRAFT:  # the form is shown again, with the refusal
        assert 'data-testid="import-form"' in r.content.decode()
    unversioned = client.post(PAGE.format(pk=sheet.pk), {"file": xlsx(POINTS)})
    assert unversioned.status_code == 422 and not Job.objects.exists()


# --- the monthly customer records (CS-10) ----------------------------------------------------


def test_the_customer_records_as_a_job_write_every_row_and_name_the_import__CS_10_issue_15(
    cs,  # noqa: F811
    fixed_clock,  # noqa: F811
    settings,
    counted,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """A good sheet as a job: the customers written, the rows heard up to their count, the
    job's report naming the import made (rows, created, updated) and linking to its page."""
    settings.IMPORT_INLINE_BYTES = 0
    client = cs.as_("supervisor").client
    data = {"month": "2026-11", "shop": "吴中万达店", "file": workbook(RECORDS)}
    job, location = started(client, RECORDS_PAGE, django_capture_on_commit_callbacks, data)

    assert job.kind == "service.records_import" and job.state == JobState.DONE, job.message
    assert job.params["month"] == "2026-11" and job.params["shop"] == "吴中万达店"
    batch = CustomerImport.objects.get()
    assert (batch.shop, f"{batch.month:%Y-%m}", batch.rows) == ("吴中万达店", "2026-11", 3)
    assert Customer.objects.filter(centre=cs.kefu).count() == 3
    assert job.report["counts"] == {"rows": 3, "created": 3, "updated": 0}
    assert job.report["import"] == batch.pk
    assert job.report["link"] == f"/c/kefu/service/imports/{batch.pk}/"
    assert "吴中万达店" in job.report["summary"] and "2026-11" in job.report["summary"]
    assert (job.done, job.total) == (3, 3)
    assert counted[0] == (0, 3) and counted[-1] == (3, 3)
    page = client.get(location).content.decode()
    assert 'data-testid="job-summary"' in page and 'data-state="done"' in page
    assert f'href="{job.report["link"]}" data-testid="job-link"' in page
    assert client.get(job.report["link"]).status_code == 200

    again = {"month": "2026-11", "shop": "吴中万达店", "file": workbook(RECORDS[:2])}
    job, _location = started(client, RECORDS_PAGE, django_capture_on_commit_callbacks, again)
    assert job.state == JobState.DONE
    assert job.report["counts"] == {"rows": 2, "created": 0, "updated": 0}


def test_the_customer_records_as_a_job_with_a_bad_row_write_nothing__CS_10_issue_15(
    cs,  # noqa: F811
    fixed_clock,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    """A bad phone on row 3: the job fails naming CS-10, nothing is written, row 3 listed on
    the job's page."""
    settings.IMPORT_INLINE_BYTES = 0
    client = cs.as_("supervisor").client
    rows = [RECORDS[0], ("李强", "12345", "", "", "", ""), RECORDS[2]]
    data = {"month": "2026-11", "shop": "吴中万达店", "file": workbook(rows)}
    job, location = started(client, RECORDS_PAGE, django_capture_on_commit_callbacks, data)

    assert job.state == JobState.FAILED and "CS-10" in job.message
    assert {r["row"] for r in job.report["rows"]} == {3}
    assert not Customer.objects.exists() and not CustomerImport.objects.exists()
    page = client.get(location).content.decode()
    assert 'data-testid="job-report"' in page and 'data-state="failed"' in page


@pytest.mark.parametrize(
    "month, shop, field",
    [
        ("2026-12", "吴中万达店", "month"),
        ("2026-13", "吴中万达店", "month"),
        ("2026-11", " ", "shop"),
    ],
)
def test_a_bad_month_or_shop_is_refused_on_the_form_before_any_job__CS_10_issue_15(
    cs,  # noqa: F811
    fixed_clock,  # noqa: F811
    settings,
    month,
    shop,
    field,
    django_capture_on_commit_callbacks,
):
    """The form's month (not one to come, a real month) and shop are checked on the page: 422
    with the field's message, no job started, no file kept."""
    settings.IMPORT_INLINE_BYTES = 0
    client = cs.as_("supervisor").client
    kept = _uploads()
    data = {"month": month, "shop": shop, "file": workbook(RECORDS)}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(RECORDS_PAGE, data)

    assert r.status_code == 422, r.content[:500]
    assert f'id="id_{field}"' in r.content.decode()
    assert r.context["form"].errors.get(field), r.context["form"].errors
    assert not Job.objects.exists() and _uploads() == kept
    assert not Customer.objects.exists()
