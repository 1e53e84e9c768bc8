"""How incident actions read in the audit trail (core.verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "incident.open": _("opened an incident"),
    "incident.close": _("closed an incident"),
    # incidents and accident records (INC-4 … INC-10, INC-5)
    "incident.step": _("recorded a step of an incident"),
    "incident.verdict": _("recorded the verdict of an alarm"),
    "incident.alarms": _("grouped alarms into an incident"),
    "accident.draft": _("drafted an accident record from a trip"),
    "accident.create": _("wrote an accident record"),
    "accident.update": _("changed an accident record"),
    "accident.complete": _("completed an accident record"),
    # alarms: people's actions (INC-1, INC-2)
    "alarm.ack": _("acknowledged an alarm"),
    "alarm.shelve": _("shelved an alarm"),
    "alarm.unshelve": _("returned a shelved alarm"),
    "alarm_source.create": _("added an alarm source"),
    "alarm_source.update": _("changed an alarm source"),
    "commissioning.create": _("recorded equipment commissioning"),
    "commissioning.update": _("changed equipment commissioning"),
    # the MQTT gateway (INC-1)
    "dead_letters.record": _("kept messages that could not be read"),
}
