"""Notifications: in-app (pushed live to the bell), e-mail and chat robots.

``notify`` runs inside the caller's transaction: it stores the in-app notifications and the
outgoing messages (the outbox) with the change that caused them, and after commit pushes the
bell and kicks the outbox worker. A failing receiver therefore never blocks or loses a write.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from . import audit, live
from .models import Channel, ChatRobot, Level, Notification, OutboxMessage

LEVEL_RANK = {Level.INFO: 0, Level.WARNING: 1, Level.URGENT: 2}


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
    title: str,
    body: str = "",
    link: str = "",
    level: str = Level.INFO,
    email: bool = True,
    chat: bool = True,
    regarding=None,
) -> list[Notification]:
    people = list({p.pk: p for p in people}.values())
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=p, centre=centre, level=level, title=title[:200], body=body, link=link
        )
        for p in people
    )
    now = timezone.now()
    outgoing = []
    if email:
        outgoing += [
            OutboxMessage(
                centre=centre,
                channel=Channel.EMAIL,
                target=p.email,
                subject=title[:200],
                body=body,
                next_attempt_at=now,
            )
            for p in people
            if p.email
        ]
    if chat and centre is not None:
        robots = ChatRobot.objects.filter(centre=centre, active=True)
        outgoing += [
            OutboxMessage(
                centre=centre,
                channel=r.channel,
                target=r.url,
                secret=r.secret,
                subject=title[:200],
                body=body,
                next_attempt_at=now,
            )
            for r in robots
            if LEVEL_RANK[level] >= LEVEL_RANK[r.min_level]
        ]
    OutboxMessage.objects.bulk_create(outgoing)
    audit.record(
        actor=actor,
        source=source,
        verb="notify",
        obj=regarding,
        centre=centre,
        object_type="" if regarding is not None else "core.notification",
        object_id="" if regarding is not None else "-",
        object_repr="" if regarding is not None else title,
        after={
            "title": title,
            "level": level,
            "recipients": [p.pk for p in people],
            "outbox": sorted(m.channel for m in outgoing),
        },
    )
    for person in people:
        unread = Notification.objects.filter(recipient=person, read_at=None).count()
        live.push_on_commit(
            live.person_group(person.pk),
            {
                "kind": "notification",
                "unread": unread,
                "title": title,
                "body": body,
                "level": level,
                "link": link,
            },
        )
    if outgoing:
        from .tasks import kick_outbox

        transaction.on_commit(kick_outbox)
    return notes
