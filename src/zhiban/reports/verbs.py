"""How reports' actions read in the audit trail (core.verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "shift_report.assemble": _("assembled the shift report"),
}
