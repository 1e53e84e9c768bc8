"""How incident actions read in the audit trail (core.verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "incident.open": _("opened an incident"),
    "incident.close": _("closed an incident"),
}
