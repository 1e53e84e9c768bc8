"""Notifications: in-app (pushed live to the bell), e-mail and chat robots.

``notify`` runs inside the caller's transaction: it stores the in-app notifications and the
outgoing messages (the outbox) with the change that caused them, and after commit pushes the
bell and kicks the outbox worker. A failing receiver therefore never blocks or loses a write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from . import audit, live
from .models import Channel, ChatRobot, Level, Notification, OutboxMessage

LEVEL_RANK = {Level.INFO: 0, Level.WARNING: 1, Level.URGENT: 2}


@dataclass(frozen=True)
class Message:
    """A text written in each reader's own language: a lazy template and its parameters."""

    template: Any
    params: dict = field(default_factory=dict)

    def render(self, language: str) -> str:
        with translation.override(language):
            text = str(self.template)
            return text % {k: str(v) for k, v in self.params.items()} if self.params else text


def render(text, language: str) -> str:
    return text.render(language) if isinstance(text, Message) else str(text)


def outgoing(*, centre, channel, target, title, body, language: str, secret: str = ""):
    """An outbox message (not yet saved) in ``language``, due now."""
    return OutboxMessage(
        centre=centre,
        channel=channel,
        target=target,
        secret=secret,
        subject=render(title, language)[:200],
        body=render(body, language),
        next_attempt_at=timezone.now(),
    )


def send(*, centre, channel, target, title, body, language: str) -> OutboxMessage:
    """One message to one address or robot through the outbox, sent after commit and
    retried (a report's delivery, RPT-1)."""
    message = outgoing(
        centre=centre, channel=channel, target=target, title=title, body=body, language=language
    )
    message.save()
    from .tasks import kick_outbox

    transaction.on_commit(kick_outbox)
    return message


def mail(*, centre, addresses, title: Message | str, body: Message | str = "") -> list[str]:
    """E-mail to addresses that are no person's (a department's, a sales desk's) through the
    outbox, sent after commit and retried, in the centre's language as a group chat reads it.
    Returns the addresses written to, each once."""
    addresses = [a for a in dict.fromkeys(addresses) if a]
    language = settings.LANGUAGE_CODE
    OutboxMessage.objects.bulk_create(
        outgoing(
            centre=centre,
            channel=Channel.EMAIL,
            target=address,
            title=title,
            body=body,
            language=language,
        )
        for address in addresses
    )
    if addresses:
        from .tasks import kick_outbox

        transaction.on_commit(kick_outbox)
    return addresses


def people_with_roles(centre, roles) -> list:
    """Active people holding any of ``roles`` in the centre (directly or via a team)."""
    Person = apps.get_model("org", "Person")
    return list(
        Person.objects.filter(
            memberships__centre=centre,
            memberships__active=True,
            memberships__role__in=list(roles),
            is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def notify(
    *,
    actor,
    source,
    people,
    centre,
    title: Message | str,
    body: Message | str = "",
    link: str = "",
    level: str = Level.INFO,
    email: bool = True,
    chat: bool = True,
    regarding=None,
) -> list[Notification]:
    people = list({p.pk: p for p in people}.values())
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=p,
            centre=centre,
            level=level,
            title=render(title, p.language)[:200],
            body=render(body, p.language),
            link=link,
        )
        for p in people
    )
    shared = settings.LANGUAGE_CODE  # group chats read the centre's language
    messages = []
    if email:
        messages += [
            outgoing(
                centre=centre,
                channel=Channel.EMAIL,
                target=p.email,
                title=title,
                body=body,
                language=p.language,
            )
            for p in people
            if p.email
        ]
    if chat and centre is not None:
        robots = ChatRobot.objects.filter(centre=centre, active=True)
        messages += [
            outgoing(
                centre=centre,
                channel=r.channel,
                target=r.url,
                secret=r.secret,
                title=title,
                body=body,
                language=shared,
            )
            for r in robots
            if LEVEL_RANK[level] >= LEVEL_RANK[r.min_level]
        ]
    OutboxMessage.objects.bulk_create(messages)
    audit.record(
        actor=actor,
        source=source,
        verb="notify",
        obj=regarding,
        centre=centre,
        object_type="" if regarding is not None else "core.notification",
        object_id="" if regarding is not None else "-",
        object_repr="" if regarding is not None else render(title, shared),
        after={
            "title": render(title, shared),
            "level": level,
            "recipients": [p.pk for p in people],
            "outbox": sorted(m.channel for m in messages),
        },
    )
    unread = dict(
        Notification.objects.filter(recipient__in=people, read_at=None)
        .values_list("recipient")
        .annotate(n=Count("id"))
    )
    for note in notes:
        live.push_on_commit(
            live.person_group(note.recipient_id),
            {
                "kind": "notification",
                "unread": unread.get(note.recipient_id, 0),
                "title": note.title,
                "body": note.body,
                "level": level,
                "link": link,
            },
        )
    if messages:
        from .tasks import kick_outbox

        transaction.on_commit(kick_outbox)
    return notes
