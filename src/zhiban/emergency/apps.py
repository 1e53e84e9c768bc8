from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "zhiban.emergency"
    label = "emergency"
    verbose_name = _("Emergency plans")

    def ready(self) -> None:
        from zhiban.alarms import hooks
        from zhiban.core import console, verbs
        from zhiban.duty import handover_sources, logtexts

        from . import panels, services
        from .verbs import LOG_TEXTS, VERBS

        handover_sources.register("emergency_running", panels.running_runs)
        hooks.register(services.runs_start_for_alarms)
        console.register_all(panels.PANELS)
        verbs.register(VERBS)
        logtexts.register(LOG_TEXTS)
