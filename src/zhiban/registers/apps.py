from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "zhiban.registers"
    label = "registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        from zhiban.core import console, verbs
        from zhiban.duty import handover_sources

        from . import handover_desk, handover_items, panels, tasks  # noqa: F401 (tasks: the periodic jobs)
        from .verbs import LABELS, VERBS

        verbs.register(VERBS, LABELS)
        console.register_all(panels.PANELS)
        # visitors still in the monitoring room join the handover (REG-1, DUTY-3)
        handover_sources.register("registers_visitors", handover_items.visitors_in_room)
        # the desk registers' open entries (REG-3, REG-4, REG-6)
        handover_sources.register("registers_loans", handover_desk.overdue_loans)
        handover_sources.register("registers_phone", handover_desk.open_messages)
        handover_sources.register("registers_repairs", handover_desk.open_repairs)
