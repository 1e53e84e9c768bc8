"""Long command-line work shows its progress (issue 15, "long work behaves"): a bar redrawn in
place on a terminal, plain lines without carriage returns in a log (CI, pipes)."""

import io

from django.core.management import call_command
from django.core.management.base import OutputWrapper

from zhiban.core import audit
from zhiban.core.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_log_gets_plain_lines_and_a_terminal_a_bar__RPT_2():
    log = io.StringIO()
    bar = Progress(OutputWrapper(log), 4, "demo")
    for app in ("org", "duty", "alarms", "service"):
        bar.step(f"{app} ready")
    bar.close()
    assert log.getvalue().splitlines() == [
        "demo: 1/4 25% org ready",
        "demo: 2/4 50% duty ready",
        "demo: 3/4 75% alarms ready",
        "demo: 4/4 100% service ready",
    ]
    screen = Terminal()
    bar = Progress(OutputWrapper(screen), 4, "demo")
    for app in ("org", "duty", "alarms", "service"):
        bar.step(f"{app} ready")
    bar.close()
    drawn = screen.getvalue()
    assert drawn.startswith("\rdemo [") and drawn.endswith("\n") and drawn.count("\n") == 1
    assert "████████████████████████████] 4/4 100%" in drawn


def test_a_log_gets_a_line_every_so_many_steps__RPT_2():
    log = io.StringIO()
    bar = Progress(OutputWrapper(log), 250_000, "audit verify", every=100_000)
    for done in range(0, 250_001, 2000):
        bar.update(done)
    bar.close()
    assert log.getvalue().splitlines() == [
        "audit verify: 100000/250000 40%",
        "audit verify: 200000/250000 80%",
        "audit verify: 250000/250000 100%",
    ]


def test_audit_verify_reports_its_progress_and_stays_clean_in_a_log__RPT_2(world):
    seen = []
    result = audit.verify(batch=5, progress=lambda checked, head: seen.append((checked, head)))
    assert result.ok and seen and seen[-1][1] == result.head_seq
    assert [checked for checked, _head in seen] == list(range(5, result.checked + 1, 5))
    out = io.StringIO()
    call_command("audit", "verify", "--language", "en", stdout=out)
    assert "\r" not in out.getvalue() and out.getvalue().startswith("audit chain OK")
