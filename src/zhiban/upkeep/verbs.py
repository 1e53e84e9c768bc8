"""How upkeep's actions read in the audit trail (core.verbs) and the lines it writes in the
duty log (duty.logtexts, DUTY-8)."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText, choice

from .models import DefectGrade

VERBS = {
    "counter.add": _("counted an operation"),
    "defect.report": _("reported a defect"),
    "defect.classify": _("classified a defect (定性)"),
    "defect.measure": _("recorded a temporary measure"),
    "defect.assign": _("assigned a defect"),
    "defect.eliminate": _("eliminated a defect (消缺)"),
    "defect.verify": _("verified a defect's elimination"),
    "defect.reject": _("sent a defect back: not eliminated"),
    "defect.close": _("closed a defect"),
    "defect.link": _("noted the defect reported for it"),
}

LABELS: dict = {}

LOG_TEXTS = {
    "defect.report": LogText(
        _("Defect %(number)s (%(grade)s) reported: %(phenomenon)s"),
        {"grade": choice(DefectGrade)},
    ),
}
