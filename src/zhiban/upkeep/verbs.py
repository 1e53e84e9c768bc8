"""How upkeep's actions read in the audit trail (core.verbs) and the lines it writes in the
duty log (duty.logtexts, DUTY-8)."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText, choice

from .models import DefectGrade

VERBS = {
    "counter.add": _("counted an operation"),
    "defect.report": _("reported a defect"),
}

LABELS: dict = {}

LOG_TEXTS = {
    "defect.report": LogText(
        _("Defect %(number)s (%(grade)s) reported: %(phenomenon)s"),
        {"grade": choice(DefectGrade)},
    ),
}
