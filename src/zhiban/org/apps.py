from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "zhiban.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from zhiban.core import targets

        from . import selectors

        targets.register("org.team", selectors.team_get)
        targets.register("org.site", selectors.site_get)
        targets.register("org.equipment", selectors.equipment_get)
