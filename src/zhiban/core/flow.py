"""Transition tables for workflow models (DESIGN: "one transition table per workflow model").

A model declares ``FLOW = Flow(...)`` next to its state field; services ask
``FLOW.next_state(current, action)`` before changing state, and ``zhiban flows`` draws every
registered flow as a Mermaid state diagram into docs/flows/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import Refused

REGISTRY: dict[str, Flow] = {}
# other tables of rules written next to the diagrams, e.g. the incident playbooks: name -> Markdown
DOCUMENTS: dict[str, Callable[[], str]] = {}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    rule: str | None = None  # the rule a refusal names, when not the flow's own


class Flow:
    def __init__(
        self,
        name: str,
        states,
        initial: str,
        transitions: list[Transition],
        rule: str | None = None,
    ):
        self.name = name
        self.states = states  # a TextChoices class
        self.initial = initial
        self.transitions = transitions
        self.rule = rule
        self._table = {(src, t.action): t.target for t in transitions for src in t.sources}
        self._rules = {t.action: t.rule for t in transitions if t.rule}
        for t in transitions:
            for state in (*t.sources, t.target):
                if state not in states.values:
                    raise ValueError(f"flow {name}: unknown state {state!r}")
        REGISTRY[name] = self

    def allows(self, current: str, action: str) -> bool:
        return (current, action) in self._table

    def next_state(self, current: str, action: str) -> str:
        """The state after ``action``, or a Refused error naming the current state."""
        try:
            return self._table[(current, action)]
        except KeyError:
            raise Refused(
                _("“%(action)s” is not possible in state “%(state)s”.")
                % {"action": action, "state": self.states(current).label},
                code="transition_refused",
                rule=self._rules.get(action, self.rule),
            ) from None

    def actions_from(self, current: str) -> list[str]:
        return [t.action for t in self.transitions if current in t.sources]

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for t in self.transitions:
            for src in t.sources:
                lines.append(f"    {src} --> {t.target}: {t.action}")
        for value, label in self.states.choices:
            lines.append(f"    {value}: {value} ({label})")
        return "\n".join(lines) + "\n"
