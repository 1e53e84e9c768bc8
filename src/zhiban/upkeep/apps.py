from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpkeepConfig(AppConfig):
    name = "zhiban.upkeep"
    label = "upkeep"
    verbose_name = _("Defects, counters and acceptance")
