from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpkeepConfig(AppConfig):
    name = "zhiban.upkeep"
    label = "upkeep"
    verbose_name = _("Defects, counters and acceptance")

    def ready(self) -> None:
        from zhiban.core import console, targets, verbs
        from zhiban.duty import logtexts
        from zhiban.org import marks

        from . import panels
        from .selectors import defects
        from .verbs import LABELS, LOG_TEXTS, VERBS

        verbs.register(VERBS, labels=LABELS)
        logtexts.register(LOG_TEXTS)
        # defects (DEF-1 … DEF-3): deadlines point at them, the console lists the urgent
        # ones, the equipment page shows each piece's defect history
        targets.register("upkeep.defect", defects.defect_get)
        console.register_all(panels.PANELS)
        marks.register_section(defects.equipment_section)
