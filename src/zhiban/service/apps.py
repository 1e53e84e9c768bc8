from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "zhiban.service"
    label = "service"
    verbose_name = _("Customer service")

    def ready(self) -> None:
        from zhiban.core import verbs
        from zhiban.duty import logtexts

        from .verbs import LOG_TEXTS, VERBS

        verbs.register(VERBS)
        logtexts.register(LOG_TEXTS)
