"""How the audit trail reads to people: a label for each recorded action and for the system
actors. A capability adds its verbs with ``register``; unknown verbs show as recorded, and so
does a key a service records beside the record's fields unless ``register`` names it."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .timewindow import shown

VERBS = {
    "centre.create": _("opened the centre"),
    "centre.update": _("changed the centre"),
    "centre.settings": _("changed the settings"),
    "team.create": _("added the team"),
    "team.update": _("changed the team"),
    "site.create": _("added the site"),
    "site.update": _("changed the site"),
    "equipment.create": _("added the equipment"),
    "equipment.update": _("changed the equipment"),
    "person.create": _("added the person"),
    "person.update": _("changed the person"),
    "person.update_own": _("changed own settings"),
    "person.set_password": _("set a new password"),
    "person.grant_platform_admin": _("made platform administrator"),
    "membership.create": _("gave a role"),
    "membership.update": _("changed a role"),
    "api_token.create": _("created an API token"),
    "api_token.revoke": _("revoked an API token"),
    "phone_contact.record": _("recorded a call"),
    "phone_contact.confirm_read_back": _("confirmed the read-back"),
    "deadline.set": _("set a deadline"),
    "deadline.warn": _("warned of a deadline"),
    "deadline.breach": _("recorded a breached deadline"),
    "deadline.escalate": _("escalated a deadline"),
    "deadline.meet": _("marked a deadline met"),
    "deadline.cancel": _("cancelled a deadline"),
    "notify": _("notified"),
    "notification.read": _("read a notification"),
    "notification.read_all": _("read all notifications"),
    "outbox.deliver": _("sent a message"),
    "outbox.fail": _("failed to send a message"),
    "outbox.give_up": _("gave up sending a message"),
    "outbox.retry": _("sent a message again"),
    "chat_robot.create": _("added a chat robot"),
    "chat_robot.update": _("changed a chat robot"),
    "job.start": _("started a job"),
    "job.done": _("finished a job"),
    "job.failed": _("recorded a failed job"),
    "backup.make": _("made a backup"),
    "backup.restore": _("restored a backup"),
}

SYSTEM_ACTORS = {
    "system:scheduler": _("Scheduler"),
    "system:outbox": _("Message sender"),
    "system:cli": _("Command line"),
    "system:demo": _("Demo data"),
    "system:gateway": _("Gateway"),
    "system:jobs": _("Background jobs"),
}


# Labels of what services record beside a record's own fields (e.g. "overridden", WORK-3).
LABELS: dict = {
    # zhiban backup / restore (issue 16, core/backup.py)
    "backup_folder": _("backup folder"),
    "backup_audit_head": _("audit head"),
    "backup_rows": _("rows"),
    "backup_counts": _("rows per table"),
    "backup_version": _("Zhiban version"),
}

# A record kind's former label → its label now, for audit events written before its app moved
# (e.g. "ops.workticket" → "work.workticket", ADR 0012): the append-only chain keeps the old one.
FORMER: dict[str, str] = {}


def register(verbs: dict, labels: dict | None = None, former: dict | None = None) -> None:
    VERBS.update(verbs)
    LABELS.update(labels or {})
    FORMER.update(former or {})


def labels_of(label: str) -> list[str]:
    """A record kind's label and its former labels: what its audit events may name."""
    return [label, *(old for old, new in FORMER.items() if new == label)]


def verb_label(verb: str) -> str:
    return str(VERBS.get(verb, verb))


def system_actor_label(label: str) -> str:
    """A system actor's stored label ("system:scheduler") in words; any other label as stored."""
    return str(SYSTEM_ACTORS.get(label, label))


def actor_label(event) -> str:
    if event.actor_id:
        return event.actor.name or event.actor.username
    return system_actor_label(event.actor_label)


def _field(model, key: str):
    if model is None:
        return None
    for field in model._meta.get_fields():
        if getattr(field, "attname", None) == key or field.name == key:
            return field
    return None


def _value(field, value) -> str:
    if value in (None, "", []):
        return "—"
    if field is None:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if field.many_to_many:
        return "、".join(str(o) for o in field.related_model.objects.filter(pk__in=value))
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        return shown(moment) if moment else value
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def readable_changes(event) -> list[tuple[str, str, str]]:
    """(field label, before, after) in words: names instead of ids, labels instead of codes,
    times in the current (centre's) zone."""
    try:
        label = FORMER.get(event.object_type, event.object_type)
        model = apps.get_model(label) if "." in label else None
    except LookupError:
        model = None
    rows = []
    for key, old, new in event.changes():
        field = _field(model, key)
        label = (
            str(field.verbose_name)
            if field is not None and hasattr(field, "verbose_name")
            else str(LABELS.get(key, key))
        )
        rows.append((label, _value(field, old), _value(field, new)))
    return rows
