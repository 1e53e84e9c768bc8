"""The demo's monthly reports (RPT-1): the demo centres were entered in Zhiban today, while
their records go back weeks, so each reports from a year ago (``report.since``), set through
the settings form as the platform administrator sets it; loading again changes nothing."""

from __future__ import annotations

from zhiban.core.actors import Source
from zhiban.org import services as org_services
from zhiban.org.models import Person

from ..monthly import shift_month, this_month


def load(ctx: dict) -> None:
    admin = Person.objects.filter(username="admin").first()
    if admin is None:
        return
    for centre in ctx.get("centres", {}).values():
        centre.refresh_from_db()
        if centre.setting("report.since"):
            continue
        since = shift_month(this_month(centre), -12)
        org_services.centre_settings_update(
            actor=admin,
            source=Source.CLI,
            centre_id=centre.pk,
            version=centre.version,
            changes={"report.since": f"{since:%Y-%m}"},
            reason="演示：月报自一年前起",
        )
