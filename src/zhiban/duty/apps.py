from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "zhiban.duty"
    label = "duty"
    verbose_name = _("Duty and handover")

    def ready(self) -> None:
        from zhiban.core import banners, console, targets, verbs

        from . import handover_sources, logtexts, panels, selectors
        from .verbs import LOG_TEXTS, VERBS

        targets.register("duty.carrieditem", selectors.carried_item_get)
        targets.register("duty.logentry", selectors.log_entry_get)
        handover_sources.register_defaults()
        banners.register(panels.weather_banner)
        console.register_all(panels.PANELS)
        verbs.register(VERBS)
        logtexts.register(LOG_TEXTS)
