"""How patrols' actions read in the audit trail (core.verbs), and the labels of what the
round's services record beside the round's own fields."""

from django.utils.translation import gettext_lazy as _

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
