"""Scoped reads of the centre's scripts (CS-11): the list, one script with its revisions and
the differences between them, and what the agents' screens show."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import Script, ScriptKind, ScriptRevision


def script_list(*, user, centre, kind: str = "", active: bool | None = None) -> QuerySet[Script]:
    scripts = limit(Script.objects.filter(centre=centre), user)
    if kind:
        scripts = scripts.filter(kind=kind)
    if active is not None:
        scripts = scripts.filter(active=active)
    return scripts.order_by("kind", "-active", "title", "pk")


def script_get(*, user, centre, pk) -> Script:
    """One script of the centre with its revisions, newest first (404 elsewhere, ORG-3)."""
    revisions = ScriptRevision.objects.select_related("by").order_by("-revision")
    scripts = script_list(user=user, centre=centre).prefetch_related(
        Prefetch("revisions", queryset=revisions)
    )
    return get_or_404(scripts, pk)


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class RevisionShown:
    """A revision and how its text differs from the one before it."""

    revision: ScriptRevision
    title_before: str
    lines: list[Line]
    first: bool


def _lines(before: str, after: str) -> list[Line]:
    result = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            result.append(Line("same", text))
        elif tag == "+ ":
            result.append(Line("added", text))
        elif tag == "- ":
            result.append(Line("removed", text))
    return result


def script_history(script: Script) -> list[RevisionShown]:
    """Every revision of a (prefetched) script, newest first, each with the lines added and
    removed since the revision before it (CS-11)."""
    revisions = sorted(script.revisions.all(), key=lambda r: r.revision)
    shown = []
    previous = None
    for revision in revisions:
        shown.append(
            RevisionShown(
                revision=revision,
                title_before=previous.title if previous else "",
                lines=_lines(previous.body if previous else "", revision.body),
                first=previous is None,
            )
        )
        previous = revision
    return list(reversed(shown))


# On the intake, objection scripts are offered folded beside the greetings: a caller's
# objections come up there too. The call list shows its return-visit and objection panels
# side by side, so a return-visit panel holds its own kind only (CS-11).
ALSO_SHOWN: dict[str, list[str]] = {ScriptKind.GREETING: [ScriptKind.OBJECTION]}


def scripts_for_agents(*, centre, kind: str) -> list[tuple[str, str, list[Script]]]:
    """The active scripts an agent's screen shows for ``kind`` (greeting on the intake,
    return_visit and objection on the call list): [(kind, its label, scripts)], the main kind
    first; the page that calls this has scoped the centre already (CS-11)."""
    kinds = [kind, *ALSO_SHOWN.get(kind, [])] if kind in ScriptKind.values else []
    scripts = list(
        Script.objects.filter(centre=centre, active=True, kind__in=kinds).order_by("title", "pk")
    )
    labels = dict(ScriptKind.choices)
    return [(k, str(labels[k]), [s for s in scripts if s.kind == k]) for k in kinds]
