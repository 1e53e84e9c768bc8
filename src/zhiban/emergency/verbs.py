"""How emergency plans' actions read in the audit trail (core.verbs) and the entries runs write
in the duty log (duty.logtexts, EMG-1)."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText

VERBS = {
    "emergency_plan.create": _("added an emergency plan"),
    "emergency_plan.update": _("changed an emergency plan"),
    "emergency_run.start": _("started an emergency plan"),
    "emergency.tick": _("ticked an item of an emergency plan"),
    "emergency.skip": _("skipped an item of an emergency plan"),
    "emergency_run.report": _("wrote the emergency report"),
    "emergency_run.close": _("closed an emergency plan run"),
}

LOG_TEXTS = {
    "emergency.start": LogText(_("Emergency plan “%(plan)s” started: %(event)s")),
    "emergency.tick": LogText(_("%(plan)s, item %(n)s done: %(item)s %(note)s")),
    "emergency.skip": LogText(_("%(plan)s, item %(n)s skipped: %(item)s — %(note)s")),
    "emergency.close": LogText(_("Emergency plan “%(plan)s” closed: %(event)s")),
}
