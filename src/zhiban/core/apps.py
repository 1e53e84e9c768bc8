from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhiban.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import console, metrics, panels, selectors, targets, tasks  # noqa: F401 (tasks: Huey jobs)
        from .timewindow import make_templates_safe

        make_templates_safe()

        targets.register("core.phonecontact", selectors.phone_contact_get)
        console.register_all(panels.PANELS)
        metrics.register(metrics.core_readings)
