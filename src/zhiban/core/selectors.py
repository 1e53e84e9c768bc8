"""Scoped reads of the core records (ORG-3)."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext as _

from . import audit, verbs
from .errors import Forbidden, NotFound
from .models import AuditEvent, ChatRobot, Deadline, Notification, OutboxMessage, PhoneContact
from .permissions import Action
from .scoping import centre_ids_for, limit


def get_or_404(queryset, pk):
    """One row of an already scoped queryset; missing, malformed or out of scope is 404."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def audit_event_list(*, user, centre, object_type: str = "", object_id: str = ""):
    """The centre's audit trail, or one object's timeline when ``object_type`` is given."""
    events = limit(AuditEvent.objects.filter(centre=centre), user, Action.AUDIT_VIEW)
    if object_type:
        kinds = verbs.labels_of(object_type)
        events = events.filter(object_type__in=kinds, object_id=str(object_id))
    return events.select_related("actor").order_by("-seq")


def timeline(*, user, centre, obj):
    """The audit events of one object in a centre, newest first (shown on every object page)."""
    return audit_event_list(
        user=user, centre=centre, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def timeline_of(*, user, centre, objects):
    """One timeline for several records (e.g. a handover with its items and checks)."""
    from django.db.models import Q

    match = Q(pk__in=[])
    for obj in objects:
        match |= Q(object_type__in=verbs.labels_of(obj._meta.label_lower), object_id=str(obj.pk))
    return audit_event_list(user=user, centre=centre).filter(match)


def audit_verify(*, user) -> audit.VerifyResult:
    """ORG-4: walk the whole chain and name the first broken link. A platform administrator
    gets the chain's own figures; a person who may verify in some centres gets the verdict
    with the count and the last link of those centres' events only, the broken link named
    only if it is one of those events, and no platform-wide count or checkpoints (ORG-3)."""
    centre_ids = centre_ids_for(user, Action.AUDIT_VERIFY)
    if centre_ids is not None and not centre_ids:
        raise Forbidden(rule="ORG-4")
    result = audit.verify()
    if centre_ids is None:
        return result
    own = AuditEvent.objects.filter(centre_id__in=centre_ids)
    last = own.filter(seq__lte=result.head_seq).order_by("-seq").first()
    broken_seq, problem = result.broken_seq, result.problem
    if broken_seq is not None and not own.filter(seq=broken_seq).exists():
        broken_seq = None
        problem = _(
            "The audit chain is broken at an event you cannot see; a platform administrator "
            "can see where (ORG-4)."
        )
    return dataclasses.replace(
        result,
        checked=own.filter(seq__lte=result.checked).count(),
        head_seq=last.seq if last else 0,
        head_hash=last.hash if last else "",
        broken_seq=broken_seq,
        problem=problem,
        checkpoints=None,
    )


def notification_list(*, user):
    return Notification.objects.filter(recipient=user).select_related("centre")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def phone_contact_list(*, user, centre):
    return limit(PhoneContact.objects.filter(centre=centre), user).select_related(
        "our_person", "party_person", "read_back_confirmed_by"
    )


def phone_contact_get(*, user, centre, pk) -> PhoneContact:
    return get_or_404(phone_contact_list(user=user, centre=centre), pk)


def deadline_list(*, user, centre):
    return (
        limit(Deadline.objects.filter(centre=centre), user)
        .select_related("assignee", "content_type")
        .prefetch_related("target")
    )


def deadline_get(*, user, centre, pk) -> Deadline:
    return get_or_404(deadline_list(user=user, centre=centre), pk)


def chat_robot_list(*, user, centre):
    return limit(ChatRobot.objects.filter(centre=centre), user, Action.WEBHOOK_MANAGE)


def chat_robot_get(*, user, centre, pk) -> ChatRobot:
    return get_or_404(chat_robot_list(user=user, centre=centre), pk)


def outbox_list(*, user, centre):
    return limit(OutboxMessage.objects.filter(centre=centre), user, Action.WEBHOOK_MANAGE)


def outbox_get(*, user, centre, pk) -> OutboxMessage:
    return get_or_404(outbox_list(user=user, centre=centre), pk)
