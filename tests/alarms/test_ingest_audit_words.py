"""The gateway's audit event reads in words on the console's latest changes and the audit
list ("接收了告警事件"), not as its stored verb "events.ingest" (INC-1, issue 11 item 4: the
walk in chromium found it on the security room's console)."""

from .test_alarm_console import event, gateway  # noqa: F401 (the gateway fixture)


def test_the_gateways_audit_event_reads_in_words__INC_1(world, web, gateway):  # noqa: F811
    gateway.send(event("10kV母线接地"))
    admin = web(world.people["admin_a"])
    for path in ("/c/alpha/", "/c/alpha/audit/"):
        page = admin.get(path).content.decode()
        assert "接收了告警事件" in page, path
        assert ">events.ingest<" not in page, path
