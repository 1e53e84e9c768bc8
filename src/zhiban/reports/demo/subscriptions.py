"""The demo's report subscriptions (RPT-1): the centre head of 苏吴 receives the monthly report
by e-mail and the duty group's WeCom robot the daily log; loading again changes nothing."""

from __future__ import annotations

from zhiban.core.actors import Source

from ..models import ReportKind, Subscription
from ..services import subscriptions as services

WECOM_HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo-suwu-duty"


def load(ctx: dict) -> None:
    centre, people = ctx["centres"].get("suwu"), ctx["people"]
    head = people.get("heping")
    if centre is None or head is None or Subscription.objects.filter(centre=centre).exists():
        return
    for report, channel, target in [
        (ReportKind.MONTHLY, "email", "heping@suwu.example.com"),
        (ReportKind.DAILY_LOG, "wecom", WECOM_HOOK),
    ]:
        services.subscription_create(
            actor=head,
            source=Source.CLI,
            centre=centre,
            data={
                "report": report,
                "channel": channel,
                "target": target,
                "person": head.pk if channel == "email" else "",
                "active": True,
            },
        )
