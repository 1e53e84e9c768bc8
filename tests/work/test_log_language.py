"""A work ticket's duty-log entries read in the reader's language: the four-remote check's
kind and result are stored as values and shown with their label (DUTY-7, WORK-4, issue 11
item 3)."""

from zhiban.org.models import Person

from .worktools import BASE


def test_a_four_remote_check_reads_in_the_readers_language__DUTY_7_WORK_4(work):
    ticket = work.permitted()
    Person.objects.filter(pk=work.p["chief_a"].pk).update(language="en")  # writes in English
    r = work.check(ticket, "telesignal", points=("751开关位置", "752开关位置"))
    assert r.status_code == 201, r.content

    def entry(login):
        found = work.as_(login).get(f"{BASE}/log?category=operation").json()["items"]
        return next(e for e in found if e["verb"] == "work.remote_check")

    chinese = entry("deputy_a")
    assert chinese["params"]["kind"] == "telesignal" and chinese["params"]["result"] == "ok"
    assert "遥信" in chinese["text"] and "751开关位置、752开关位置 — 正确" in chinese["text"]
    assert "Telesignal" not in chinese["text"] and "Correct" not in chinese["text"]
    english = entry("chief_a")["text"]
    assert "Telesignal (遥信)" in english and english.endswith("— Correct (正确)")
