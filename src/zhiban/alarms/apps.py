from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "zhiban.alarms"
    label = "alarms"
    verbose_name = _("Alarms and incidents")

    def ready(self) -> None:
        from zhiban.core import targets, verbs
        from zhiban.duty import handover_sources

        from . import selectors
        from .verbs import VERBS

        targets.register("alarms.incident", selectors.incident_get)
        handover_sources.register("alarms_open_incidents", selectors.open_incident_things)
        verbs.register(VERBS)
