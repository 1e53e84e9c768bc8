"""The duty log (DUTY-6, DUTY-7, DUTY-8)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from zhiban.core import audit, live
from zhiban.core.errors import NotFound
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import validated

from .. import logtexts
from ..forms import CorrectionForm, LogEntryForm
from ..models import LogEntry

# --- the duty log (DUTY-6, DUTY-7, DUTY-8) -------------------------------------------------


@transaction.atomic
def log_write(
    *,
    actor,
    source,
    centre,
    category: str,
    text: str = "",
    verb: str = "",
    params: dict | None = None,
    at=None,
    site=None,
    equipment=None,
    regarding=None,
    corrects=None,
) -> LogEntry:
    """Append one entry to the centre's duty log. The door for every capability that writes
    its own entries (DUTY-7); inside the caller's transaction when there is one. A person's
    entry is its ``text``; a system entry is a ``verb`` registered in ``duty.logtexts`` and
    its ``params``, read in each reader's language, its text kept in the centre's."""
    person = None if getattr(actor, "is_system", False) else actor
    if verb:
        params = logtexts.stored(params or {})
        text = logtexts.centre_text(verb, params)
    entry = LogEntry.objects.create(
        centre=centre,
        at=at or timezone.now(),
        author=person,
        author_label=(person.name if person else str(actor))[:80],
        category=category,
        text=text,
        verb=verb,
        params=params or {},
        site=site,
        equipment=equipment,
        corrects=corrects,
        content_type=ContentType.objects.get_for_model(regarding)
        if regarding is not None
        else None,
        object_id=str(regarding.pk) if regarding is not None else "",
    )
    audit.record(
        actor=actor, source=source, verb="log.write", obj=entry, after=audit.snapshot(entry)
    )
    live.refresh_on_commit(centre, "duty-log", *(["duty-other"] if category == "other" else []))
    return entry


@transaction.atomic
def log_entry_create(*, actor, source, centre, data) -> LogEntry:
    """A person writes what they found or did (谁发现、谁操作、谁记录, DUTY-6)."""
    require(actor, Action.DUTY_SERVE, centre)
    form = validated(LogEntryForm, data, centre=centre)
    entry = form.cleaned_data
    equipment = entry.get("equipment")
    return log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=entry["category"],
        text=entry["text"],
        at=entry.get("at"),
        site=entry.get("site") or (equipment.site if equipment else None),
        equipment=equipment,
    )


@transaction.atomic
def log_entry_correct(*, actor, source, entry_id, data) -> LogEntry:
    """A correction is a new entry that points at the one it corrects; the original stays
    (DUTY-6)."""
    original = LogEntry.objects.select_related("centre").filter(pk=entry_id).first()
    if original is None:
        raise NotFound()
    require(actor, Action.DUTY_SERVE, original.centre)
    text = validated(CorrectionForm, data).cleaned_data["text"]
    return log_write(
        actor=actor,
        source=source,
        centre=original.centre,
        category=original.category,
        text=text,
        at=original.at,
        site=original.site,
        equipment=original.equipment,
        corrects=original,
    )
