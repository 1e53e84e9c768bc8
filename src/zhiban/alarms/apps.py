from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "zhiban.alarms"
    label = "alarms"
    verbose_name = _("Alarms and incidents")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from zhiban.core import background, banners, console, flow, metrics, targets, verbs
        from zhiban.duty import handover_sources, logtexts
        from zhiban.org.models import Equipment, Site
        from zhiban.upkeep.services import point_table

        from . import metrics as alarm_metrics
        from . import models, panels, playbooks, refs, selectors, serve_mqtt, suppressions, tasks  # noqa: F401 (tasks: Huey jobs)
        from .handover_items import unacknowledged_alarm_things
        from .verbs import LOG_TEXTS, VERBS

        targets.register("alarms.incident", selectors.incident_get)
        flow.DOCUMENTS["incident_playbooks"] = playbooks.markdown
        handover_sources.register("alarms_open_incidents", selectors.open_incident_things)
        # alarms: people's side (INC-2, INC-3)
        handover_sources.register("alarms_shelved", selectors.shelved_alarm_things)
        handover_sources.register("alarms_unacked", unacknowledged_alarm_things)
        suppressions.register(suppressions.commissioning)
        suppressions.register_signals(point_table.commissioning_readings)  # ACC-2
        console.register_all(panels.PANELS)
        metrics.register(alarm_metrics.readings)  # /metrics (issue 16)
        banners.register(panels.flood_banner)
        verbs.register(VERBS)
        logtexts.register(LOG_TEXTS)
        background.register("mqtt", serve_mqtt.start)  # zhiban serve --mqtt (INC-1)
        for model in (models.AlarmSource, Site, Equipment):  # the gateway's cache (INC-1)
            post_save.connect(refs.changed, sender=model, dispatch_uid=f"refs-{model.__name__}")
            post_delete.connect(refs.changed, sender=model, dispatch_uid=f"refs-d-{model.__name__}")
