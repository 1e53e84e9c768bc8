from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "zhiban.ops"
    label = "ops"
    verbose_name = _("Power operations")

    def ready(self) -> None:
        from zhiban.core import console, targets, verbs
        from zhiban.duty import handover_sources, logtexts

        from . import panels, selectors
        from .verbs import LABELS, LOG_TEXTS, VERBS

        targets.register("ops.dispatchorder", selectors.order_get)
        targets.register("ops.operationticket", selectors.ticket_get)
        handover_sources.register("ops_open_work", panels.open_work)
        console.register_all(panels.PANELS)
        verbs.register(VERBS, LABELS)
        logtexts.register(LOG_TEXTS)
