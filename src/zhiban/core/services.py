"""The one door for writes to core records, and the helpers every app's services share
(DESIGN rule 1): validate with the record's form, lock or version-check the row, check the
permission and the transition table, write, audit, and push side effects after commit.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, chat, live
from .actors import OUTBOX, SCHEDULER, Source
from .errors import Conflict, InvalidInput, MissingVersion, NotFound, rule_of
from .forms import ChatRobotForm, DeadlineForm, PhoneContactForm, ReadBackForm
from .models import (
    ChatRobot,
    Deadline,
    DeadlineState,
    Level,
    Notification,
    OutboxMessage,
    OutboxState,
    PhoneContact,
)
from .notify import Message, notify, people_with_roles
from .numbering import format_number, next_number
from .permissions import ESCALATION_FIRST, ESCALATION_SECOND, Action, Role
from .scoping import require
from .timewindow import shown

log = logging.getLogger(__name__)


# --- shared helpers -------------------------------------------------------------------------


def validated(form_class, data, *, instance=None, files=None, **kwargs):
    """Bind and validate a form; bad input raises InvalidInput with per-field messages."""
    if instance is not None:
        kwargs["instance"] = instance
    form = form_class(data=data, files=files, **kwargs)
    if not form.is_valid():
        raise InvalidInput(
            rule=rule_of(form.errors),
            fields={name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )
    return form


def form_data(instance: models.Model, form_class) -> dict:
    """The instance's current values keyed as the form expects (for partial updates)."""
    data = {}
    fields = {f.name: f for f in instance._meta.get_fields()}
    for name in form_class.base_fields:
        field = fields.get(name)
        if field is None:
            continue  # a form-only field (e.g. a new person's first password)
        if field.many_to_many:
            data[name] = [o.pk for o in getattr(instance, name).all()] if instance.pk else []
        else:
            data[name] = getattr(instance, getattr(field, "attname", name))
    return data


class _AnyVersion:
    def __repr__(self) -> str:
        return "ANY_VERSION"


ANY_VERSION = _AnyVersion()
"""What ``locked`` is given where no version someone read applies: a system actor's change
(job, gateway, command), rows changed as part of a record whose own version was checked, a
record added under a parent that stays unchanged, a row without a version."""


def locked(queryset, pk, version: int | _AnyVersion):
    """The row, locked for this transaction; 404 if missing, 409 if ``version`` is stale and
    422 if it is missing (None): every change to an existing record names the version it read
    (DESIGN rule 1); ``ANY_VERSION`` says in the code that none applies.
    Only that row is locked (``OF self``): rows joined by ``select_related`` are read, not
    locked — and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join."""
    if version is None:
        raise MissingVersion()
    try:
        obj = queryset.select_for_update(of=("self",)).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    if version is not ANY_VERSION and obj.version != version:
        raise Conflict()
    return obj


def create_from_form(
    *, actor, source, form, verb: str, reason: str = "", prepare=None, after_save=None
):
    """Save a validated ModelForm as a new record and audit it (inside the caller's
    transaction). ``prepare(obj)`` sets fields the form does not carry; ``after_save(obj)``
    derives what needs the primary key."""
    obj = form.save(commit=False)
    if prepare:
        prepare(obj)
    obj.save()
    form.save_m2m()
    if after_save:
        after_save(obj)
    audit.record(
        actor=actor, source=source, verb=verb, obj=obj, after=audit.snapshot(obj), reason=reason
    )
    return obj


def update_from_form(
    *,
    actor,
    source,
    obj,
    form_class,
    changes: dict,
    verb: str,
    reason: str = "",
    prepare=None,
    after_save=None,
    audit_centre=None,
    **form_kwargs,
):
    """Apply ``changes`` (a partial update) to a locked record through its form, bump its
    version and audit before/after (inside the caller's transaction). ``audit_centre`` names
    the centre for records that belong to none (people)."""
    before = audit.snapshot(obj)
    data = form_data(obj, form_class)
    data.update(changes)
    form = validated(form_class, data, instance=obj, **form_kwargs)
    obj = form.save(commit=False)
    if prepare:
        prepare(obj)

    def finish(saved):
        form.save_m2m()
        if after_save:
            after_save(saved)

    return save_change(
        obj,
        actor=actor,
        source=source,
        verb=verb,
        before=before,
        reason=reason,
        centre=audit_centre,
        after_save=finish,
    )


def save_change(
    obj,
    *,
    actor,
    source,
    verb: str,
    before: dict,
    reason: str = "",
    centre=None,
    after_save=None,
    noted: dict | None = None,
):
    """Bump the version of a locked record, save it (then ``after_save(obj)``) and audit
    before/after (inside the caller's transaction); ``noted`` adds what the change decided
    beside the record's own fields (e.g. the work tickets an override lets go)."""
    obj.version += 1
    obj.save()
    if after_save:
        after_save(obj)
    audit.record(
        actor=actor,
        source=source,
        verb=verb,
        obj=obj,
        before=before,
        after={**audit.snapshot(obj), **(noted or {})},
        reason=reason,
        centre=centre,
    )
    return obj


def create_in_centre(
    *, actor, source, centre, data, form_class, action: str, verb: str, reason: str = ""
):
    """A new record of a centre through its form, for those allowed ``action`` there."""
    require(actor, action, centre)
    form = validated(form_class, data, centre=centre)
    return create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb=verb,
        reason=reason,
        prepare=lambda obj: setattr(obj, "centre", centre),
    )


def update_in_centre(
    *,
    actor,
    source,
    model,
    pk,
    version: int,
    changes,
    form_class,
    action: str,
    verb: str,
    reason: str = "",
):
    """A partial change of a centre's record through its form (409 if ``version`` is stale)."""
    obj = locked(model.objects.all(), pk, version)
    require(actor, action, obj.centre)
    return update_from_form(
        actor=actor,
        source=source,
        obj=obj,
        form_class=form_class,
        changes=changes,
        verb=verb,
        reason=reason,
        centre=obj.centre,
    )


def content_type_of(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


# --- phone contacts -------------------------------------------------------------------------


@transaction.atomic
def phone_contact_record(
    *, actor, source, centre, data, regarding=None, reason: str = ""
) -> PhoneContact:
    """Record a phone contact with its gap-free number per centre and year."""
    require(actor, Action.PHONE_RECORD, centre)
    form = validated(PhoneContactForm, data, centre=centre)

    def prepare(contact: PhoneContact) -> None:
        contact.centre = centre
        year = timezone.localtime(contact.at, centre.tz).year
        contact.number = format_number("DH", year, next_number(centre, "phone_contact", year))
        contact.recorded_by = None if getattr(actor, "is_system", False) else actor
        if regarding is not None:
            contact.content_type = content_type_of(regarding)
            contact.object_id = str(regarding.pk)
        if contact.read_back:
            contact.read_back_confirmed_at = timezone.now()
            contact.read_back_confirmed_by = contact.recorded_by

    return create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb="phone_contact.record",
        reason=reason,
        prepare=prepare,
    )


@transaction.atomic
def phone_contact_confirm_read_back(
    *, actor, source, contact_id, version: int, data
) -> PhoneContact:
    """Record what the receiving side read back (复诵) and who confirmed it."""
    contact = locked(PhoneContact.objects.all(), contact_id, version)
    require(actor, Action.PHONE_RECORD, contact.centre)
    form = validated(ReadBackForm, data)
    before = audit.snapshot(contact)
    contact.read_back = form.cleaned_data["read_back"]
    contact.read_back_confirmed_at = timezone.now()
    contact.read_back_confirmed_by = None if getattr(actor, "is_system", False) else actor
    return save_change(
        contact, actor=actor, source=source, verb="phone_contact.confirm_read_back", before=before
    )


# --- deadlines ------------------------------------------------------------------------------


@transaction.atomic
def deadline_set(
    *, actor, source, centre, target: models.Model, data, reason: str = ""
) -> Deadline:
    """Put a named deadline on a record of the centre."""
    require(actor, Action.DEADLINE_MANAGE, centre)
    form = validated(DeadlineForm, data, centre=centre)

    def prepare(deadline: Deadline) -> None:
        deadline.centre = centre
        deadline.content_type = content_type_of(target)
        deadline.object_id = str(target.pk)

    deadline = create_from_form(
        actor=actor, source=source, form=form, verb="deadline.set", reason=reason, prepare=prepare
    )
    if deadline.assignee_id and deadline.assignee_id != getattr(actor, "pk", None):
        due = shown(deadline.due_at, centre.tz)
        notify(
            actor=actor,
            source=source,
            people=[deadline.assignee],
            centre=centre,
            title=Message(
                gettext_lazy("You are responsible: %(name)s — %(subject)s"),
                {"name": deadline.name, "subject": target},
            ),
            body=Message(
                gettext_lazy("Due %(due)s (%(tz)s)."), {"due": due, "tz": centre.time_zone}
            ),
            link=f"/c/{centre.code}/deadlines/{deadline.pk}/",
            regarding=deadline,
        )
    return deadline


def _deadline_transition(
    *, actor, source, deadline_id, version, action: str, reason: str = ""
) -> Deadline:
    deadline = locked(Deadline.objects.all(), deadline_id, version)
    require(actor, Action.DEADLINE_MANAGE, deadline.centre)
    before = audit.snapshot(deadline)
    deadline.state = Deadline.FLOW.next_state(deadline.state, action)
    if action == "meet":
        deadline.met_at = timezone.now()
    return save_change(
        deadline,
        actor=actor,
        source=source,
        verb=f"deadline.{action}",
        before=before,
        reason=reason,
    )


@transaction.atomic
def deadline_meet(*, actor, source, deadline_id, version: int, reason: str = "") -> Deadline:
    """Record that the deadline was met (on time → met, after the breach → met late)."""
    return _deadline_transition(
        actor=actor,
        source=source,
        deadline_id=deadline_id,
        version=version,
        action="meet",
        reason=reason,
    )


@transaction.atomic
def deadline_cancel(*, actor, source, deadline_id, version: int, reason: str) -> Deadline:
    if not reason.strip():
        raise InvalidInput(fields={"reason": [_("Give the reason for cancelling.")]})
    return _deadline_transition(
        actor=actor,
        source=source,
        deadline_id=deadline_id,
        version=version,
        action="cancel",
        reason=reason,
    )


def _deadline_recipients(deadline: Deadline, roles) -> list:
    people = people_with_roles(deadline.centre, roles)
    if deadline.assignee_id and deadline.assignee not in people:
        people.insert(0, deadline.assignee)
    return people


def _deadline_step(deadline_id: int, now: datetime) -> str | None:
    """Advance one deadline by the clock: warn, breach, or escalate. Returns what it did."""
    with transaction.atomic():
        # its own row only: locking the centre's too, then the audit head, deadlocked with an
        # audited write of the centre that holds the head and checks its foreign key to the
        # centre at commit (the company-shape test, issue 16)
        deadline = (
            Deadline.objects.select_for_update(of=("self",))
            .select_related("centre")
            .get(pk=deadline_id)
        )
        centre = deadline.centre
        warn = timedelta(minutes=centre.setting("deadlines.warn_minutes"))
        escalate = timedelta(minutes=centre.setting("deadlines.escalate_minutes"))
        before = audit.snapshot(deadline)
        local_due = shown(deadline.due_at, centre.tz)
        subject = str(deadline.target) if deadline.target is not None else deadline.object_id
        if deadline.state == DeadlineState.OPEN and deadline.due_at <= now:
            step, level, roles = "breach", Level.URGENT, ESCALATION_FIRST
            deadline.state = Deadline.FLOW.next_state(deadline.state, "breach")
            deadline.breached_at = now
            deadline.escalation_level = 1
            title = gettext_lazy("Deadline breached: %(name)s — %(subject)s")
        elif (
            deadline.state == DeadlineState.BREACHED
            and deadline.escalation_level < 2
            and deadline.due_at + escalate <= now
        ):
            step, level, roles = "escalate", Level.URGENT, ESCALATION_SECOND
            deadline.escalation_level = 2
            deadline.escalated_at = now
            title = gettext_lazy("Deadline still not met, escalated: %(name)s — %(subject)s")
        elif (
            deadline.state == DeadlineState.OPEN
            and deadline.warned_at is None
            and deadline.due_at - warn <= now
        ):
            step, level, roles = "warn", Level.WARNING, frozenset()
            deadline.warned_at = now
            title = gettext_lazy("Deadline approaching: %(name)s — %(subject)s")
        else:
            return None
        save_change(
            deadline, actor=SCHEDULER, source=Source.JOB, verb=f"deadline.{step}", before=before
        )
        recipients = _deadline_recipients(deadline, roles)
        if not recipients:
            recipients = people_with_roles(centre, ESCALATION_FIRST)
        notify(
            actor=SCHEDULER,
            source=Source.JOB,
            people=recipients,
            centre=centre,
            title=Message(title, {"name": deadline.name, "subject": subject}),
            body=Message(
                gettext_lazy("Due %(due)s (%(tz)s)."), {"due": local_due, "tz": centre.time_zone}
            ),
            link=f"/c/{centre.code}/deadlines/{deadline.pk}/",
            level=level,
            regarding=deadline,
        )
        return step


def deadlines_check(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: warn before, record breaches, escalate overdue deadlines."""
    now = now or timezone.now()
    horizon = now + timedelta(days=1)  # warn windows are shorter than a day
    candidates = Deadline.objects.filter(
        models.Q(state=DeadlineState.OPEN, due_at__lte=horizon)
        | models.Q(state=DeadlineState.BREACHED, escalation_level__lt=2)
    ).values_list("pk", flat=True)
    done: dict[str, int] = {}
    for pk in list(candidates):
        step = _deadline_step(pk, now)
        if step:
            done[step] = done.get(step, 0) + 1
    return done


# --- notifications and outbox ----------------------------------------------------------------


@transaction.atomic
def notification_read(*, actor, source, notification_id) -> Notification:
    try:
        note = Notification.objects.select_for_update().get(pk=notification_id, recipient=actor)
    except (Notification.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
        audit.record(
            actor=actor,
            source=source,
            verb="notification.read",
            obj=note,
            centre=note.centre,
            after={"read_at": note.read_at},
        )
    live.push_on_commit(live.person_group(actor.pk), unread_event(actor))
    return note


@transaction.atomic
def notification_read_all(*, actor, source) -> int:
    now = timezone.now()
    count = Notification.objects.filter(recipient=actor, read_at=None).update(read_at=now)
    if count:
        audit.record(
            actor=actor,
            source=source,
            verb="notification.read_all",
            obj=actor,
            centre=None,
            after={"count": count, "read_at": now},
        )
    live.push_on_commit(live.person_group(actor.pk), unread_event(actor))
    return count


def unread_event(person) -> dict:
    return {
        "kind": "unread",
        "unread": Notification.objects.filter(recipient=person, read_at=None).count(),
    }


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Take a due message for delivery with a short lease, so two workers never send the
    same message and a crashed worker's message is retried after the lease."""
    lease = now + timedelta(minutes=2)
    claimed = OutboxMessage.objects.filter(
        pk=message_id, state=OutboxState.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=lease)
    return OutboxMessage.objects.get(pk=message_id) if claimed else None


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def outbox_deliver(message_id: int, *, now: datetime | None = None) -> str | None:
    """Try to send one message outside any transaction, then record the outcome."""
    now = now or timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    error = ""
    try:
        chat.send(message.channel, message.target, message.secret, message.subject, message.body)
    except chat.DeliveryError as exc:
        error = str(exc)[:2000]
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        before = {"state": message.state, "attempts": message.attempts}
        message.attempts += 1
        if not error:
            action = "deliver"
            message.sent_at = timezone.now()
            message.last_error = ""
        else:
            action = (
                "give_up" if message.attempts >= settings.ZHIBAN_OUTBOX_MAX_ATTEMPTS else "fail"
            )
            message.last_error = error
            message.next_attempt_at = now + _retry_delay(message.attempts)
        message.state = OutboxMessage.FLOW.next_state(message.state, action)
        message.save()
        audit.record(
            actor=OUTBOX,
            source=Source.JOB,
            verb=f"outbox.{action}",
            obj=message,
            centre=message.centre,
            before=before,
            after={"state": message.state, "attempts": message.attempts, "error": error},
        )
        if action == "give_up" and message.centre is not None:
            notify(
                actor=OUTBOX,
                source=Source.JOB,
                centre=message.centre,
                people=people_with_roles(message.centre, {Role.ADMIN}),
                title=Message(
                    gettext_lazy("A message could not be sent: %(subject)s"),
                    {"subject": message.subject},
                ),
                body=error,
                level=Level.WARNING,
                link=f"/c/{message.centre.code}/outbox/",
                email=False,
                chat=False,
                regarding=message,
            )
    return action


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """The periodic job (and the after-commit kick): send every due message once."""
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    done: dict[str, int] = {}
    for pk in ids:
        action = outbox_deliver(pk, now=now)
        if action:
            done[action] = done.get(action, 0) + 1
    return done


@transaction.atomic
def outbox_retry(*, actor, source, message_id) -> OutboxMessage:
    """An administrator sends a given-up message again."""
    # An outbox message has no version: the flow lets a given-up message be retried once, a
    # second retry is refused by its state.
    message = locked(OutboxMessage.objects.all(), message_id, ANY_VERSION)
    if message.centre is None:
        raise NotFound()
    require(actor, Action.WEBHOOK_MANAGE, message.centre)
    before = {"state": message.state, "attempts": message.attempts}
    message.state = OutboxMessage.FLOW.next_state(message.state, "retry")
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save()
    audit.record(
        actor=actor,
        source=source,
        verb="outbox.retry",
        obj=message,
        centre=message.centre,
        before=before,
        after={"state": message.state, "attempts": 0},
    )
    from .tasks import kick_outbox

    transaction.on_commit(kick_outbox)
    return message


# --- chat robots ----------------------------------------------------------------------------


@transaction.atomic
def chat_robot_create(*, actor, source, centre, data) -> ChatRobot:
    return create_in_centre(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=ChatRobotForm,
        action=Action.WEBHOOK_MANAGE,
        verb="chat_robot.create",
    )


@transaction.atomic
def chat_robot_update(*, actor, source, robot_id, version: int, changes) -> ChatRobot:
    return update_in_centre(
        actor=actor,
        source=source,
        model=ChatRobot,
        pk=robot_id,
        version=version,
        changes=changes,
        form_class=ChatRobotForm,
        action=Action.WEBHOOK_MANAGE,
        verb="chat_robot.update",
    )
