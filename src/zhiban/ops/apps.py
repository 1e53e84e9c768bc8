from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "zhiban.ops"
    label = "ops"
    verbose_name = _("Power operations")

    def ready(self) -> None:
        from zhiban.alarms import suppressions
        from zhiban.core import console, targets, verbs
        from zhiban.duty import handover_sources
        from zhiban.org import marks

        from . import panels, selectors
        from .verbs import LABELS, VERBS

        targets.register("ops.dispatchorder", selectors.order_get)
        targets.register("ops.operationticket", selectors.ticket_get)
        targets.register("ops.workticket", selectors.work_ticket_get)
        targets.register("ops.limitchange", selectors.limit_change_get)
        targets.register("ops.settingsheet", selectors.setting_sheet_get)
        handover_sources.register("ops_open_work", panels.open_work)
        marks.register(
            marks.EquipmentMark("tagged", _("Under maintenance (检修)"), selectors.with_tag_flag)
        )
        suppressions.register(selectors.tag_suppressions)
        console.register_all(panels.PANELS)
        verbs.register(VERBS, LABELS)
