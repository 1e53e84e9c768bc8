from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zhiban.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from zhiban.core import console, verbs
        from zhiban.duty import hooks

        from . import panels, tasks  # noqa: F401 (tasks: the delivery jobs, RPT-1)
        from .services import shift, subscriptions
        from .verbs import VERBS

        hooks.on_handover_accepted("shift_report", shift.on_handover_accepted)  # RPT-1
        verbs.register(VERBS)
        verbs.register(subscriptions.VERBS)
        console.register_all(panels.PANELS)  # the figures of today and this month (RPT-4)
