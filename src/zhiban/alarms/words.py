"""Each centre kind's words for its alarms. INC-11's classes (事故, 异常, 越限, 变位, 告知) are
those of power monitoring information; a security room or an engineering desk keeps the same
five priorities under its own names (警情, 故障, 超标, 状态变化, 告知). Only a power centre
writes accident records of breaker trips (INC-5) and is offered the grid's kinds of incident
(INC-4, INC-6, INC-7); a security room is offered the others (INC-8 … INC-10)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhiban.org.models import CentreKind

from .models import PRIORITY, AlarmClass, IncidentKind


@dataclass(frozen=True)
class AlarmWords:
    classes: dict
    cue: str  # the console's line over a new alarm of the top class
    sound_on: str  # the console's note once its sound is on
    incident_kinds: frozenset
    accident_records: bool  # INC-5: records of breaker trips

    def label(self, klass: str) -> str:
        """A class's name; a stored value outside the classes shows as stored."""
        return str(self.classes.get(klass, klass))

    @property
    def top(self) -> str:
        """The name of the most urgent class, the one the console sounds for."""
        return self.label(AlarmClass.ACCIDENT)

    def choices(self) -> list[tuple[str, str]]:
        return [(k.value, self.classes[k]) for k in sorted(AlarmClass, key=PRIORITY.get)]

    def offered(self, kind: str) -> str:
        """The kind an alarm suggests (``playbooks.kind_of_alarm``) if this centre is offered it,
        else "other": a security room's alarm from a SCADA link is not the grid's emergency."""
        return kind if kind in self.incident_kinds else IncidentKind.OTHER

    def incident_choices(self, choices, keep=()) -> list:
        """Of a kind field's ``choices``, the blank one, this kind's, and those in ``keep``
        (a stored kind stays shown)."""
        return [
            (k, label) for k, label in choices if not k or k in self.incident_kinds or k in keep
        ]


POWER = AlarmWords(
    classes={
        AlarmClass.ACCIDENT: _("Accident"),
        AlarmClass.ABNORMAL: _("Abnormal"),
        AlarmClass.LIMIT: _("Limit violation"),
        AlarmClass.CHANGE: _("State change"),
        AlarmClass.INFO: _("Notice"),
    },
    cue=_("New accident alarm:"),
    sound_on=_("Sound on for accident alarms"),
    incident_kinds=frozenset(IncidentKind),  # a substation has fire and intrusion panels too
    accident_records=True,
)
ON_SITE = AlarmWords(
    classes={
        AlarmClass.ACCIDENT: pgettext_lazy("alarm class off the grid", "Alarm"),
        AlarmClass.ABNORMAL: pgettext_lazy("alarm class off the grid", "Fault"),
        AlarmClass.LIMIT: pgettext_lazy("alarm class off the grid", "Exceedance"),
        AlarmClass.CHANGE: pgettext_lazy("alarm class off the grid", "Status change"),
        AlarmClass.INFO: _("Notice"),
    },
    cue=pgettext_lazy("alarm console off the grid", "New alarm:"),
    sound_on=pgettext_lazy("alarm console off the grid", "Sound on for alarms of the top class"),
    incident_kinds=frozenset(IncidentKind)
    - {IncidentKind.EMERGENCY, IncidentKind.COMM_LOSS, IncidentKind.REMOTE_HANDLING},
    accident_records=False,
)


def words_for(centre) -> AlarmWords:
    """The words of the centre's kind; without a centre, the power centre's (INC-11)."""
    return POWER if centre is None or centre.kind == CentreKind.POWER else ON_SITE
