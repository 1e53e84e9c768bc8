"""How upkeep's actions read in the audit trail (core.verbs) and the lines it writes in the
duty log (duty.logtexts, DUTY-8)."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText, choice

from .models import DefectGrade

VERBS = {
    "counter.add": _("counted an operation"),
    "counter.open": _("opened an operation counter"),
    "counter.limit": _("set the counter's limit"),
    "counter.month": _("entered a month-end figure"),
    "counter.full": _("counter reached its limit (满次)"),
    "counter.reset": _("reset the counter after maintenance"),
    "defect.report": _("reported a defect"),
    "point_table.import": _("imported a four-remote point table"),
    "defect.classify": _("classified a defect (定性)"),
    "defect.measure": _("recorded a temporary measure"),
    "defect.assign": _("assigned a defect"),
    "defect.eliminate": _("eliminated a defect (消缺)"),
    "defect.verify": _("verified a defect's elimination"),
    "defect.reject": _("sent a defect back: not eliminated"),
    "defect.close": _("closed a defect"),
    "defect.link": _("noted the defect reported for it"),
    "acceptance.create": _("prepared an acceptance sheet"),
    "acceptance.checkers": _("named the acceptance checkers"),
    "acceptance.point_add": _("added an acceptance point"),
    "acceptance.open": _("began checking an acceptance sheet"),
    "acceptance.tick": _("ticked an acceptance point"),
    "acceptance.defect": _("raised a defect of an acceptance point"),
    "acceptance.summarise": _("put an acceptance point on the summary list"),
    "acceptance.sign": _("signed an acceptance sheet"),
    "acceptance.close": _("closed an acceptance sheet"),
}

LABELS: dict = {
    "full_at": _("limit reached"),
    "figure": _("month-end figure"),
}

LOG_TEXTS = {
    "defect.report": LogText(
        _("Defect %(number)s (%(grade)s) reported: %(phenomenon)s"),
        {"grade": choice(DefectGrade)},
    ),
}
