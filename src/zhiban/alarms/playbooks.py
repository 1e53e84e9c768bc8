"""The playbook of each incident kind (INC-4, INC-6 … INC-10): the steps it records, which step
must come before which, what the verdict of a security alarm decides, and what must be on
record before the incident may close. One table, read by the services (refusals name the
rule), the incident page (the checklist and the next steps) and ``zhiban flows``
(docs/flows/incident_playbooks.md).

A note (记录) may be added to any incident at any time; steps are append-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core.errors import InvalidInput, Refused

from .models import AlarmClass, IncidentKind, SourceKind, StepKind, Verdict

K, S, V = IncidentKind, StepKind, Verdict

DISPATCHER = gettext_lazy("dispatcher")
TEAM = gettext_lazy("team member")
LEADER = gettext_lazy("shift leader")
PATROL = gettext_lazy("patrol guard")
MAINTENANCE = gettext_lazy("maintenance")
TELECONTROL = gettext_lazy("telecontrol team")
CLOCK_SKEW = timedelta(minutes=1)  # a phone's clock a little ahead is not "the future"


@dataclass(frozen=True)
class Step:
    """One line of a playbook."""

    kind: str  # StepKind
    rule: str
    after: tuple[str, ...] = ()  # recorded before this one (and not later in time)
    contact: Any = None  # who is phoned or reported to; required when named
    needs_text: bool = False  # what was said or done must be written down
    needs_location: bool = False  # the place is recorded on the incident
    verdict: str = ""  # only after this verdict — and then needed to close
    optional: bool = False  # not needed to close
    repeat: bool = False  # may be recorded more than once
    refusal: Any = None  # the message when recorded before ``after``
    open_until: Any = None  # the message when closing without it

    @property
    def label(self) -> str:
        return str(S(self.kind).label)

    @property
    def after_labels(self) -> list[str]:
        return [str(S(a).label) for a in self.after]


@dataclass(frozen=True)
class Playbook:
    """The steps of one kind of incident, in the order they are usually recorded."""

    rule: str
    steps: tuple[Step, ...] = ()
    verdict_after: str = ""  # the step the verdict follows (INC-8, INC-9); "" = no verdict
    requires: tuple[str, ...] = ()  # incident fields needed when opening (INC-10)

    def step(self, kind: str) -> Step | None:
        return next((s for s in self.steps if s.kind == kind), None)

    def shown(self, verdict: str) -> list[Step]:
        """The checklist: the steps of this playbook that the verdict (if any) leaves."""
        return [s for s in self.steps if not s.verdict or s.verdict == verdict]

    def allowed(self, done: set[str], verdict: str) -> list[Step]:
        """The steps that may be recorded next."""
        return [
            s
            for s in self.shown(verdict)
            if (s.repeat or s.kind not in done) and all(a in done for a in s.after)
        ]

    def missing(self, done: set[str], verdict: str) -> list[Step]:
        """The steps closing still needs (the verdict itself is ``verdict_missing``)."""
        return [s for s in self.shown(verdict) if not s.optional and s.kind not in done]

    def verdict_missing(self, verdict: str) -> bool:
        return bool(self.verdict_after) and not verdict


def _verify_flow(rule: str) -> tuple[Step, ...]:
    """INC-8 (fire, intrusion) and INC-9 (exceedance): locate, report to the shift leader with
    the location, watch on camera, send a patrol to verify; then the verdict decides."""
    return (
        Step(S.LOCATED, rule, needs_location=True),
        Step(S.LEADER_REPORTED, rule, after=(S.LOCATED,), contact=LEADER),
        Step(S.CAMERA_WATCHED, rule, after=(S.LOCATED,)),
        Step(S.PATROL_SENT, rule, after=(S.LOCATED,), contact=PATROL),
        Step(S.VERIFIED, rule, after=(S.PATROL_SENT,)),
        Step(S.RESET, rule, verdict=V.FALSE),
        Step(S.PLAN_STARTED, rule, verdict=V.REAL),
        Step(S.MAINTENANCE_CALLED, rule, verdict=V.FAULT, contact=MAINTENANCE),
    )


PLAYBOOKS: dict[str, Playbook] = {
    K.EMERGENCY: Playbook(
        "INC-4",
        (
            Step(S.REPORTED_DISPATCHER, "INC-4", contact=DISPATCHER),
            Step(S.TEAM_SENT, "INC-4", contact=TEAM),
            Step(S.VIDEO_CHECKED, "INC-4"),
            Step(S.TEAM_INSPECTED, "INC-4", after=(S.TEAM_SENT,), contact=TEAM),
            Step(
                S.DETAILS_REPORTED,
                "INC-4",
                after=(S.TEAM_INSPECTED,),
                contact=DISPATCHER,
                refusal=gettext_lazy("details are reported after the team has inspected"),
            ),
            Step(S.MODE_CHECKED, "INC-4", after=(S.TEAM_INSPECTED,), contact=TEAM),
        ),
    ),
    K.COMM_LOSS: Playbook(
        "INC-6",
        (
            Step(S.REPORTED_DISPATCHER, "INC-6", contact=DISPATCHER),
            Step(S.TELECONTROL_TOLD, "INC-6", after=(S.REPORTED_DISPATCHER,), contact=TELECONTROL),
            Step(
                S.REPAIRED,
                "INC-6",
                contact=gettext_lazy("who reported the repair"),
                open_until=gettext_lazy(
                    "A communication loss stays open until the centre is told it is repaired"
                ),
            ),
        ),
    ),
    K.REMOTE_HANDLING: Playbook(
        "INC-7",
        (
            Step(S.ORDER_RECEIVED, "INC-7", contact=DISPATCHER),
            Step(S.OPERATED, "INC-7", after=(S.ORDER_RECEIVED,), needs_text=True),
            Step(S.REPORTED_DONE, "INC-7", after=(S.OPERATED,), contact=DISPATCHER),
            Step(S.TEAM_TOLD, "INC-7", after=(S.REPORTED_DONE,), contact=TEAM, needs_text=True),
        ),
    ),
    K.FIRE: Playbook("INC-8", _verify_flow("INC-8"), verdict_after=S.VERIFIED),
    K.INTRUSION: Playbook("INC-8", _verify_flow("INC-8"), verdict_after=S.VERIFIED),
    K.EXCEEDANCE: Playbook(
        "INC-9",
        (
            *_verify_flow("INC-9"),
            Step(S.APPROVED, "INC-9", contact=LEADER, optional=True, repeat=True),
            Step(
                S.REMOTE_OPERATED,
                "INC-9",
                after=(S.APPROVED,),
                needs_text=True,
                optional=True,
                repeat=True,
                refusal=gettext_lazy(
                    "remote operation of a field instrument needs a leader's approval recorded first"
                ),
            ),
        ),
        verdict_after=S.VERIFIED,
    ),
    K.CAMERA: Playbook(
        "INC-10",
        (
            Step(S.LEADER_REPORTED, "INC-10", contact=LEADER),
            Step(S.CALLED_110, "INC-10", needs_text=True, optional=True, repeat=True),
            Step(S.CALLED_120, "INC-10", needs_text=True, optional=True, repeat=True),
        ),
        requires=("location", "persons"),
    ),
    K.OTHER: Playbook("DUTY-10"),
}


def playbook(kind: str) -> Playbook:
    return PLAYBOOKS.get(kind, PLAYBOOKS[K.OTHER])


# --- the checks the services make ---------------------------------------------------------------


def check_step(book: Playbook, *, kind: str, recorded: dict[str, datetime], verdict: str) -> Step:
    """The playbook's line for a step about to be recorded, or a refusal naming the rule.
    ``recorded`` maps each step kind already on the incident to its earliest time."""
    step = book.step(kind)
    if step is None:
        raise InvalidInput(
            fields={
                "kind": [_("Not a step of this kind of incident (%(rule)s).") % {"rule": book.rule}]
            },
            rule=book.rule,
        )
    if step.kind in recorded and not step.repeat:
        raise Refused(
            _("“%(step)s” is recorded already; add a note to correct it.") % {"step": step.label},
            rule=step.rule,
        )
    if step.verdict and step.verdict != verdict:
        raise Refused(
            _("“%(step)s” follows the verdict “%(verdict)s”.")
            % {"step": step.label, "verdict": V(step.verdict).label},
            rule=step.rule,
        )
    missing = [a for a in step.after if a not in recorded]
    if missing:
        message = step.refusal or _("“%(step)s” comes after “%(before)s”.") % {
            "step": step.label,
            "before": "、".join(str(S(a).label) for a in missing),
        }
        raise Refused(message, rule=step.rule)
    return step


def minute(t: datetime) -> datetime:
    """Times people write down have minutes, not seconds: compare to the minute."""
    return t.replace(second=0, microsecond=0)


def check_time(at: datetime, *, opened_at: datetime, not_before: list[datetime]) -> None:
    """A step's time: not in the future, not before the incident was opened, not before the
    steps it follows — to the minute, as people write times down."""
    if at > timezone.now() + CLOCK_SKEW:
        raise InvalidInput(fields={"at": [_("The time is in the future.")]})
    if at < minute(opened_at):
        raise InvalidInput(fields={"at": [_("Before the incident was opened.")]})
    if not_before and at < minute(max(not_before)):
        raise InvalidInput(fields={"at": [_("Earlier than the step it follows.")]})


def check_fields(step: Step, *, counterpart: str, text: str, location: str) -> None:
    errors = {}
    if step.contact and not counterpart:
        errors["counterpart"] = [
            _("Name the %(who)s (%(rule)s).") % {"who": step.contact, "rule": step.rule}
        ]
    if step.needs_text and not text:
        errors["text"] = [_("Write down what was said or done (%(rule)s).") % {"rule": step.rule}]
    if step.needs_location and not location:
        errors["location"] = [_("Where is it? (%(rule)s)") % {"rule": step.rule}]
    if errors:
        raise InvalidInput(fields=errors, rule=step.rule)


def check_verdict(book: Playbook, *, recorded: dict[str, datetime], verdict: str) -> None:
    if not book.verdict_after:
        raise Refused(_("This kind of incident has no verdict."), rule=book.rule)
    if verdict:
        raise Refused(
            _("The verdict is recorded already; add a note to correct it."), rule=book.rule
        )
    if book.verdict_after not in recorded:
        raise Refused(
            _("The verdict follows “%(step)s”.") % {"step": S(book.verdict_after).label},
            rule=book.rule,
        )


def check_close(book: Playbook, *, done: set[str], verdict: str) -> None:
    """Closing needs every step of the playbook (and the verdict) on record."""
    missing = [s.label for s in book.missing(done, verdict)]
    if book.verdict_missing(verdict):
        missing.insert(0, str(_("the verdict (real, false or fault)")))
    if not missing:
        return
    lead = next((s.open_until for s in book.missing(done, verdict) if s.open_until), None)
    still = _("Still to record before closing: %(steps)s.") % {"steps": "、".join(missing)}
    raise Refused(f"{still} {lead}" if lead else still, code="playbook", rule=book.rule)


# --- the table as a document (``zhiban flows``) --------------------------------------------------


def markdown() -> str:
    """Every playbook as a Markdown table, for docs/flows/incident_playbooks.md."""
    lines = [
        "# Incident playbooks",
        "",
        "Generated by `zhiban flows` from `alarms/playbooks.py`. A note may be added to any",
        "incident at any time; an incident closes when every step not marked optional is on",
        "record (and, where there is one, the verdict).",
    ]
    for kind, book in PLAYBOOKS.items():
        title = str(K(kind).label)
        lines += ["", f"## {title}" + ("" if book.rule in title else f" — {book.rule}"), ""]
        if book.requires:
            lines += [f"Needed when opening: {', '.join(book.requires)}.", ""]
        if not book.steps:
            lines.append("Notes only; closes freely.")
            continue
        lines += ["| step | rule | after | contact | needs | when |", "|---|---|---|---|---|---|"]
        for s in book.steps:
            needs = [n for n, on in (("text", s.needs_text), ("location", s.needs_location)) if on]
            when = [f"verdict {s.verdict}"] if s.verdict else []
            when += ["optional"] * s.optional + ["repeatable"] * s.repeat
            lines.append(
                f"| `{s.kind}` {s.label} | {s.rule} | {', '.join(s.after)} | {s.contact or ''} "
                f"| {', '.join(needs)} | {', '.join(when)} |"
            )
        if book.verdict_after:
            lines += ["", f"The verdict (real / false / fault) follows `{book.verdict_after}`."]
    return "\n".join(lines) + "\n"


def kind_of_alarm(alarm) -> str:
    """The kind of incident an alarm opens: a communication loss by its signal (INC-6), a
    fire or intrusion by its panel (INC-8), an instrument's limit violation as an exceedance
    (INC-9), a video analytics alarm as seen on camera (INC-10); any other is an emergency
    (INC-4)."""
    source = alarm.source.kind
    if any(word in alarm.signal for word in ("通信中断", "远动退出")):
        return K.COMM_LOSS
    if source in (SourceKind.FIRE, SourceKind.INTRUSION):
        return K.FIRE if source == SourceKind.FIRE else K.INTRUSION
    if source == SourceKind.INSTRUMENT and alarm.klass == AlarmClass.LIMIT:
        return K.EXCEEDANCE
    if source == SourceKind.VIDEO:
        return K.CAMERA
    return K.EMERGENCY
