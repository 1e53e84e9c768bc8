"""How patrols' actions read in the audit trail (core.verbs), the labels of what the
round's services record beside the round's own fields, and the line a round ended writes in
the duty log (duty.logtexts, PAT-5)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText

VERBS = {
    "checkpoint.create": _("added a checkpoint"),
    "checkpoint.update": _("changed a checkpoint"),
    "patrol_plan.create": _("added a patrol plan"),
    "patrol_plan.update": _("changed a patrol plan"),
    "patrol_round.generate": _("scheduled the patrol rounds due"),
    "patrol_round.answer": _("recorded the centre's answer before the patrol"),
    "patrol_round.start": _("started a patrol round"),
    "patrol_round.check": _("recorded a checkpoint's result"),
    "patrol_round.confirm": _("confirmed a checkpoint by its code"),
    "patrol_round.photo": _("added a photo to a checkpoint's result"),
    "patrol_round.end": _("ended a patrol round"),
    "patrol_round.miss": _("marked a patrol round missed"),
}

LABELS = {
    "checkpoint": _("checkpoint"),
    "photo": _("photo"),
    "rounds": _("patrol rounds"),
}


def _abnormal(found) -> str:
    """The abnormal checkpoints with their notes, in the reader's language."""
    if not found:
        return gettext("all normal")
    return gettext("abnormal: %(found)s") % {"found": "；".join(str(f) for f in found)}


LOG_TEXTS = {
    "patrol_round.end": LogText(
        _("Patrol “%(plan)s” done, %(n)s checkpoints, %(abnormal)s."), {"abnormal": _abnormal}
    ),
}
