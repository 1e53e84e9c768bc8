"""How the audit trail reads to people: a label for each recorded action and for the system
actors. A capability adds its verbs with ``register``; unknown verbs show as recorded."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
}

SYSTEM_ACTORS = {
    "system:scheduler": _("Scheduler"),
    "system:outbox": _("Message sender"),
    "system:cli": _("Command line"),
    "system:demo": _("Demo data"),
}


def register(verbs: dict) -> None:
    VERBS.update(verbs)


def verb_label(verb: str) -> str:
    return str(VERBS.get(verb, verb))


def actor_label(event) -> str:
    if event.actor_id:
        return event.actor.name or event.actor.username
    return str(SYSTEM_ACTORS.get(event.actor_label, event.actor_label))
