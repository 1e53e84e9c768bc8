from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpkeepConfig(AppConfig):
    name = "zhiban.upkeep"
    label = "upkeep"
    verbose_name = _("Defects, counters and acceptance")

    def ready(self) -> None:
        from zhiban.core import verbs
        from zhiban.duty import logtexts

        from .verbs import LABELS, LOG_TEXTS, VERBS

        verbs.register(VERBS, labels=LABELS)
        logtexts.register(LOG_TEXTS)
