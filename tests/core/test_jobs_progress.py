"""Long work behaves (issue 15; RPT-2, RPT-3): a month's tickets as one PDF and the .xlsx imports
run as jobs — progress that reaches its total, the same file the synchronous download gives, a
failure shown as a message (never a 500), another centre's job 404 (ORG-3), a notification
with the link, and an import that writes nothing when a row is bad and lists the row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhiban.core import jobs
from zhiban.core.actors import Source
from zhiban.core.errors import InvalidInput
from zhiban.core.models import AuditEvent, Job, JobState, Level, Notification
from zhiban.ops import pdf
from zhiban.org.models import Site

from ..clock import fixed_clock  # noqa: F401 (fixture)
from ..ops.conftest import _on_the_fixed_clock, flow, grid  # noqa: F401 (fixtures)
from ..ops.finished import done, november, voided  # noqa: F401 (fixture)
from ..pdf import pdf_pages
from ..upkeep.conftest import upkeep  # noqa: F401 (fixture)


@pytest.fixture
def counted(monkeypatch):
    """Every count a job's progress hears, as (done, total)."""
    heard: list[tuple[int, int]] = []
    call = jobs.Progress.__call__

    def spy(self, done, total=None, message=""):
        call(self, done, total, message)
        heard.append((self.done, self.total))

    monkeypatch.setattr(jobs.Progress, "__call__", spy)
    return heard


def started(client, path, capture, data=None):
    """POST that starts a job; the job runs when the request commits (Huey is immediate)."""
    with capture(execute=True):
        r = client.post(path, data or {})
    assert r.status_code == 302, r.content[:500]
    return Job.objects.get(pk=int(r["Location"].rstrip("/").rsplit("/", 1)[1])), r["Location"]


def test_month_pdf_job_counts_to_the_total_and_gives_the_download__RPT_3_issue_15(
    november,  # noqa: F811
    flow,  # noqa: F811
    web,
    api,
    world,
    counted,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """RPT-3: the statistics page's PDF button starts a job; its progress hears each batch of
    tickets laid out up to the total; its file shows the pages the synchronous download shows;
    the requester is notified with the job's link; the page and the API show it done."""
    monkeypatch.setattr(pdf, "BATCH", 1)
    done(flow)
    voided(flow)
    leader = world.people["leader_a"]
    client = web(leader)
    page = client.get("/c/alpha/ops/statistics/?month=2026-11").content.decode()
    assert 'data-testid="month-pdf"' in page and 'method="post"' in page
    url = f"/c/alpha/ops/tickets/month.pdf?month=2026-11&team={flow.w.team.pk}"
    job, location = started(client, url, django_capture_on_commit_callbacks)

    assert job.state == JobState.DONE and job.kind == "ops.month_pdf"
    assert (job.done, job.total) == (2, 2)
    assert counted[0] == (0, 2) and counted[-1] == (2, 2)
    assert [d for d, _t in counted] == sorted(d for d, _t in counted)
    synchronous = client.get(url)
    assert synchronous.status_code == 200
    shown = client.get(location)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert 'data-testid="job-download"' in html and 'data-state="done"' in html
    assert 'hx-trigger="every 1s"' not in html  # a finished job is not polled
    file = client.get(f"/c/alpha/jobs/{job.pk}/file/")
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    data = b"".join(file.streaming_content)
    assert pdf_pages(data) == pdf_pages(synchronous.content)

    state = api(leader).get(f"/centres/alpha/jobs/{job.pk}")
    assert state.status_code == 200, state.content
    body = state.json()
    assert (body["state"], body["done"], body["total"], body["percent"]) == ("done", 2, 2, 100)
    assert body["download_url"] == f"/api/centres/alpha/jobs/{job.pk}/file"
    by_api = api(leader).get(f"/centres/alpha/jobs/{job.pk}/file")
    assert by_api.status_code == 200 and b"".join(by_api.streaming_content) == data

    note = Notification.objects.get(recipient=leader, link=location)
    assert job.title in note.title and note.level == Level.INFO
    assert AuditEvent.objects.filter(verb="job.start", object_id=str(job.pk)).count() == 1
    assert AuditEvent.objects.filter(verb="job.done", object_id=str(job.pk)).count() == 1


def test_another_centres_job_is_404__RPT_3_issue_15(
    november,  # noqa: F811
    flow,  # noqa: F811
    web,
    api,
    world,
    django_capture_on_commit_callbacks,
):
    """ORG-3: the job's page, its progress, its file and its API answer 404 to a person of
    another centre, and to the centre's own under another centre's code."""
    done(flow)
    client = web(world.people["leader_a"])
    job, location = started(
        client, "/c/alpha/ops/tickets/month.pdf?month=2026-11", django_capture_on_commit_callbacks
    )
    other = web(world.people["admin_b"])
    for path in (location, f"{location}progress/", f"{location}file/"):
        assert other.get(path).status_code == 404, path
    assert client.get(f"/c/beta/jobs/{job.pk}/").status_code == 404
    outsider = api(world.people["admin_b"])
    assert outsider.get(f"/centres/alpha/jobs/{job.pk}").status_code == 404
    assert outsider.get(f"/centres/beta/jobs/{job.pk}").status_code == 404
    assert outsider.get(f"/centres/beta/jobs/{job.pk}/file").status_code == 404


def _broken(job, progress):
    progress(1, 3)
    raise ZeroDivisionError("a traceback the reader must not see")


def _refused(job, progress):
    raise InvalidInput("No such month (RPT-1).")


@pytest.mark.parametrize(
    "runner, shown",
    [
        (_broken, "管理员可在日志中查看原因"),  # in the requester's language
        (_refused, "No such month (RPT-1)."),
    ],
)
def test_a_failed_job_shows_a_message_not_a_500__RPT_3_issue_15(
    world, web, api, runner, shown, django_capture_on_commit_callbacks
):
    """A job that breaks or is refused ends failed with a message for people (no traceback),
    its page answers 200, the requester is warned with the link."""
    jobs.register("tests.failing", runner)
    person = world.people["chief_a"]
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            actor=person, source=Source.WEB, centre=world.alpha, kind="tests.failing", title="T"
        )
    job.refresh_from_db()
    assert job.state == JobState.FAILED and shown in job.message
    page = web(person).get(jobs.page_url(job))
    assert page.status_code == 200
    html = page.content.decode()
    assert shown in html and "ZeroDivisionError" not in html and "traceback" not in html
    assert "job-download" not in html
    assert web(person).get(f"/c/alpha/jobs/{job.pk}/file/").status_code == 404
    body = api(person).get(f"/centres/alpha/jobs/{job.pk}").json()
    assert body["state"] == "failed" and body["download_url"] == ""
    note = Notification.objects.get(recipient=person, link=jobs.page_url(job))
    assert note.level == Level.WARNING


def sheet(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("sites.xlsx", out.getvalue())


HEADER = ["编码", "名称", "类型", "电压等级", "上级编码", "地址"]
GOOD = [
    ["WZ", "吴中片区", "区域", "", "", ""],
    ["S10", "东吴变", "变电站", "110kV", "WZ", "吴中区"],
    ["S11", "石湖变", "substation", "35 kV", "WZ", ""],
]


def test_an_import_job_writes_nothing_if_a_row_is_bad_and_lists_the_row__RPT_2_issue_15(
    world, web, settings, counted, django_capture_on_commit_callbacks
):
    """ORG-2 as a job: a bad row fails the job, nothing is written, the job's page lists the row
    and its column; the good sheet imports with its progress reaching the rows' count; the
    uploaded file is gone after either."""
    settings.IMPORT_INLINE_BYTES = 0  # every upload runs as a job
    client = web(world.people["admin_a"])
    sites = Site.objects.count()
    bad = [HEADER, *GOOD, ["S14", "", "", "", "", ""]]
    job, location = started(
        client,
        "/c/alpha/org/import/sites/",
        django_capture_on_commit_callbacks,
        {"file": sheet(bad)},
    )
    assert job.state == JobState.FAILED and Site.objects.count() == sites
    rows = job.report["rows"]
    assert rows and {r["row"] for r in rows} == {5}
    html = client.get(location).content.decode()
    assert 'data-testid="job-report"' in html and "名称" in html
    assert not jobs.upload_path(job).exists()  # the uploaded file is deleted

    counted.clear()
    job, location = started(
        client,
        "/c/alpha/org/import/sites/",
        django_capture_on_commit_callbacks,
        {"file": sheet([HEADER, *GOOD])},
    )
    assert job.state == JobState.DONE, job.message
    assert Site.objects.count() == sites + 3
    assert (job.done, job.total) == (3, 3) and counted[0] == (0, 3)
    assert 'data-testid="job-summary"' in client.get(location).content.decode()
    assert not jobs.upload_path(job).exists()


def rows_of(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]


def test_a_big_export_runs_as_a_job_with_the_same_rows__RPT_2_issue_15(
    world, web, settings, counted, django_capture_on_commit_callbacks
):
    """RPT-2: a filtered list longer than EXPORT_INLINE_ROWS exports as a job: the rows of the
    download with the same filters, its progress reaching the rows' count; an export is its
    requester's own (another person of the centre: 404); a short list downloads at once."""
    org_sites = "/c/alpha/org/sites/?kind=substation&export=xlsx"
    for code in ("S20", "S21", "S22"):
        Site.objects.create(centre=world.alpha, code=code, name=f"变{code}", kind="substation")
    Site.objects.create(centre=world.alpha, code="A1", name="片区", kind="area")
    client = web(world.people["admin_a"])
    at_once = client.get(org_sites)
    assert at_once.status_code == 200
    inline = rows_of(b"".join(at_once.streaming_content))
    assert len(inline) == 1 + 4  # the header, 一号变 and the three new substations

    settings.EXPORT_INLINE_ROWS = 3
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(org_sites)
    assert r.status_code == 302
    job = Job.objects.get(kind="core.export")
    assert job.state == JobState.DONE, job.message
    assert (job.done, job.total) == (4, 4) and counted[-1] == (4, 4)
    file = client.get(f"/c/alpha/jobs/{job.pk}/file/")
    assert rows_of(b"".join(file.streaming_content)) == inline
    chief = web(world.people["chief_a"])
    assert chief.get(r["Location"]).status_code == 404
    assert chief.get(f"/c/alpha/jobs/{job.pk}/file/").status_code == 404


def test_the_monthly_report_pdf_runs_as_a_job__RPT_3_issue_15(
    november,  # noqa: F811
    world,
    web,
    counted,
    django_capture_on_commit_callbacks,
):
    """RPT-1, RPT-3: the monthly report's "prepare PDF" button starts a job whose file shows
    the pages of the synchronous PDF; a month ahead is refused (422) and starts no job."""
    client = web(world.people["chief_a"])
    page = client.get("/c/alpha/reports/monthly/2026-11/").content.decode()
    assert 'data-testid="monthly-pdf-job"' in page
    job, location = started(
        client, "/c/alpha/reports/monthly/2026-11/prepare-pdf/", django_capture_on_commit_callbacks
    )
    assert job.state == JobState.DONE, job.message
    assert (job.done, job.total) == (2, 2) and counted[0] == (0, 2)
    file = client.get(f"/c/alpha/jobs/{job.pk}/file/")
    synchronous = client.get("/c/alpha/reports/monthly/2026-11.pdf")
    assert pdf_pages(b"".join(file.streaming_content)) == pdf_pages(synchronous.content)
    assert Notification.objects.filter(link=location).exists()
    ahead = client.post("/c/alpha/reports/monthly/2027-01/prepare-pdf/")
    assert ahead.status_code == 422 and Job.objects.count() == 1


def test_the_counts_import_as_a_job_writes_all_rows_or_none__RPT_2_issue_15(
    upkeep,  # noqa: F811
    web,
    settings,
    counted,
    django_capture_on_commit_callbacks,
):
    """CNT-3 as a job: a bad row fails the job and writes nothing, its row listed on the
    job's page; the good sheet enters every row, its progress reaching the rows' count."""
    from zhiban.upkeep.models import CounterMonth

    from ..upkeep.test_counter_import import GOOD
    from ..upkeep.test_counter_import import sheet as counts_sheet

    settings.IMPORT_INLINE_BYTES = 0
    client = web(upkeep.world.people["deputy_a"])
    url = "/c/alpha/upkeep/counters/import/"
    bad = [*GOOD, ["一号变", "C1", "跳闸次数?", "2026-10", 1]]
    job, location = started(
        client, url, django_capture_on_commit_callbacks, {"file": counts_sheet(bad)}
    )
    assert job.state == JobState.FAILED and not CounterMonth.objects.exists()
    assert {r["row"] for r in job.report["rows"]} == {6}
    assert 'data-testid="job-report"' in client.get(location).content.decode()

    counted.clear()
    job, _location = started(
        client, url, django_capture_on_commit_callbacks, {"file": counts_sheet(GOOD)}
    )
    assert job.state == JobState.DONE, job.message
    assert job.report["counts"]["rows"] == 4 == CounterMonth.objects.count()
    assert (job.done, job.total) == (4, 4) and counted[0] == (0, 4)
