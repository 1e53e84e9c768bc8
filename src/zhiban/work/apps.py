from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "zhiban.work"
    label = "work"
    verbose_name = _("Work tickets")

    def ready(self) -> None:
        from zhiban.alarms import suppressions
        from zhiban.core import targets, verbs
        from zhiban.duty import handover_sources, logtexts
        from zhiban.org import marks

        from . import panels, selectors
        from .verbs import FORMER_LABELS, LOG_TEXTS, VERBS

        targets.register("work.workticket", selectors.work_ticket_get)
        targets.register("work.limitchange", selectors.limit_change_get)
        targets.register("work.settingsheet", selectors.setting_sheet_get)
        handover_sources.register("work_open", panels.open_work_tickets)
        marks.register(
            marks.EquipmentMark("tagged", _("Under maintenance (检修)"), selectors.with_tag_flag)
        )
        suppressions.register(selectors.tag_suppressions)
        verbs.register(VERBS, former=FORMER_LABELS)
        logtexts.register(LOG_TEXTS)
