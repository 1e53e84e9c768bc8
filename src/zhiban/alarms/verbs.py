"""How incident actions read in the audit trail (core.verbs), and the texts of the entries
they write in the duty log (duty.logtexts, DUTY-7)."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText, choice

from .models import AccidentKind, StepKind, Verdict

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
    # the gateways (INC-1)
    "events.ingest": _("received alarm events"),
    "dead_letters.record": _("kept messages that could not be read"),
}

LOG_TEXTS = {
    "accident.draft": LogText(_("Breaker trip: %(alarm)s; accident record drafted")),
    "accident.create": LogText(_("Accident record written: %(record)s")),
    "accident.complete": LogText(
        _("Accident record completed: %(record)s — %(kind)s, %(cause)s"),
        {"kind": choice(AccidentKind)},
    ),
    "incident.open": LogText(_("Incident opened: %(title)s")),
    "incident.step": LogText(
        _("%(title)s — %(kind)s%(detail)s"),
        {"kind": choice(StepKind), "detail": lambda detail: f"（{detail}）" if detail else ""},
    ),
    "incident.verdict": LogText(
        _("%(title)s — verdict: %(verdict)s"), {"verdict": choice(Verdict)}
    ),
    "incident.close": LogText(_("Incident closed: %(title)s — %(note)s")),
}
