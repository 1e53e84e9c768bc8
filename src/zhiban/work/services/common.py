"""What operation tickets (``ops``) and work tickets share: the centre's gap-free ticket
numbers (OPS-6) and a ticket's phone call recorded as a contact. It sits here because ``ops``
imports ``work`` and never the other way round (ADR 0012)."""

from __future__ import annotations

from django.utils import timezone

from zhiban.core.models import PhoneContact
from zhiban.core.numbering import format_number, next_number
from zhiban.core.services import phone_contact_record


def phone_call(
    *,
    actor,
    source,
    centre,
    direction,
    party,
    subject,
    at,
    read_back="",
    content="",
    regarding=None,
    party_person=None,
) -> PhoneContact:
    """An order's or ticket's phone call, recorded like every other contact (core)."""
    return phone_contact_record(
        actor=actor,
        source=source,
        centre=centre,
        regarding=regarding,
        data={
            "direction": direction,
            "at": at,
            "our_person": actor.pk,
            "party_name": party[:80],
            "party_person": party_person.pk if party_person else None,
            "subject": subject[:200],
            "content": content,
            "read_back": read_back,
        },
    )


def ticket_number(centre, at, kind="operation_ticket", suffix="") -> str:
    """Gap-free per centre, kind and year in the centre's format (OPS-6): ``SW-2026-00017``
    for operation tickets, ``SW-G-2026-00007`` for work tickets (suffix ``-G``)."""
    year = timezone.localtime(at, centre.tz).year
    prefix = (centre.setting("ops.ticket_prefix") or centre.code.upper()) + suffix
    digits = centre.setting("ops.ticket_digits")
    return format_number(prefix, year, next_number(centre, kind, year), digits)
