"""Scripts (话术) of a centre (CS-11): kept by the supervisor, versioned, shown to agents.

Every text a script has had is a ``ScriptRevision`` (who wrote it, when): the first on
creation, a new one on every change of its title or text, which also counts ``revision`` up;
a change of kind alone keeps the revision. A retired script leaves the agents' screens and
comes back when reactivated; it is never deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import form_data, locked, save_change, validated

from ..forms.scripts import ScriptForm
from ..models import Script, ScriptRevision

RULE = "CS-11"


def _keep_revision(script: Script, actor) -> ScriptRevision:
    return ScriptRevision.objects.create(
        script=script,
        revision=script.revision,
        title=script.title,
        body=script.body,
        by=actor,
        at=timezone.now(),
    )


@transaction.atomic
def script_create(*, actor, source, centre, data) -> Script:
    """A new script of the centre, revision 1 (CS-11)."""
    require(actor, Action.SERVICE_CONFIGURE, centre)
    form = validated(ScriptForm, data, centre=centre)
    script = form.save(commit=False)
    script.centre, script.revision, script.active = centre, 1, True
    script.save()
    _keep_revision(script, actor)
    audit.record(
        actor=actor, source=source, verb="script.create", obj=script, after=audit.snapshot(script)
    )
    live.refresh_on_commit(centre, "service")
    return script


@transaction.atomic
def script_update(*, actor, source, script_id, version: int, changes: dict) -> Script:
    """Change a script's kind, title or text (send the version read, 409 if stale). A new
    title or text is the next revision; the earlier one stays as it was (CS-11)."""
    script = locked(Script.objects.select_related("centre"), script_id, version)
    require(actor, Action.SERVICE_CONFIGURE, script.centre)
    before = audit.snapshot(script)
    data = form_data(script, ScriptForm) | {
        k: v for k, v in changes.items() if k in ScriptForm.base_fields
    }
    form = validated(ScriptForm, data, instance=script, centre=script.centre)
    script = form.save(commit=False)
    reworded = (script.title, script.body) != (before["title"], before["body"])
    if not reworded and script.kind == before["kind"]:
        return script  # nothing changed: no new version, no event
    if reworded:
        script.revision += 1
    save_change(
        script,
        actor=actor,
        source=source,
        verb="script.update",
        before=before,
        after_save=(lambda saved: _keep_revision(saved, actor)) if reworded else None,
    )
    live.refresh_on_commit(script.centre, "service")
    return script


def _set_active(*, actor, source, script_id, version: int, active: bool) -> Script:
    script = locked(Script.objects.select_related("centre"), script_id, version)
    require(actor, Action.SERVICE_CONFIGURE, script.centre)
    if script.active == active:
        message = (
            _("This script is in use already (CS-11).")
            if active
            else _("This script is retired already (CS-11).")
        )
        raise Refused(message, code="unchanged", rule=RULE)
    before = audit.snapshot(script)
    script.active = active
    save_change(
        script,
        actor=actor,
        source=source,
        verb="script.reactivate" if active else "script.retire",
        before=before,
    )
    live.refresh_on_commit(script.centre, "service")
    return script


@transaction.atomic
def script_retire(*, actor, source, script_id, version: int) -> Script:
    """The script leaves the agents' screens; its text and revisions stay (CS-11)."""
    return _set_active(
        actor=actor, source=source, script_id=script_id, version=version, active=False
    )


@transaction.atomic
def script_reactivate(*, actor, source, script_id, version: int) -> Script:
    """A retired script is shown to agents again (CS-11)."""
    return _set_active(
        actor=actor, source=source, script_id=script_id, version=version, active=True
    )
