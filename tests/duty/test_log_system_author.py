"""A duty-log entry written by a system actor (the scheduler, the gateway, the demo) names it
in the reader's language on the log page, the duty page's 其他栏 and the correction form, not as the stored
"system:scheduler" (DUTY-7, issue 11 item 4: the walk in chromium)."""

from zhiban.core.actors import SCHEDULER, Source
from zhiban.duty import services as duty


def test_a_schedulers_entry_names_it_in_words__DUTY_7(world, shifts, web):
    entry = duty.log_write(
        actor=SCHEDULER,
        source=Source.JOB,
        centre=world.alpha,
        category="other",
        text="期限已到：复核远动通道",
    )
    for path in ("/c/alpha/duty/log/", "/c/alpha/duty/", f"/c/alpha/duty/log/{entry.pk}/correct/"):
        page = web(shifts.out_deputy).get(path).content.decode()
        assert "期限已到：复核远动通道" in page, path
        assert "定时任务" in page and "system:scheduler" not in page, path
