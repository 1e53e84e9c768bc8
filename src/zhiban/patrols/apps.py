from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "zhiban.patrols"
    label = "patrols"
    verbose_name = _("Patrols")

    def ready(self) -> None:
        from zhiban.core import console, targets, verbs
        from zhiban.duty import handover_sources, logtexts

        from . import panels, selectors, tasks  # noqa: F401 (tasks: the periodic jobs)
        from .verbs import LABELS, LOG_TEXTS, VERBS

        targets.register("patrols.patrolround", selectors.round_get)
        handover_sources.register("patrol_rounds", panels.handover_rounds)
        console.register_all(panels.PANELS)
        verbs.register(VERBS, labels=LABELS)
        logtexts.register(LOG_TEXTS)
