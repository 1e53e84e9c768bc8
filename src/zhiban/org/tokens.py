"""Personal API tokens, as every door checks them: the API's ``TokenAuth`` (here, beside the
rest of the API's doors in ``core/api_auth.py``) and the grouped ``POST /api/events`` in front
of Django (``alarms/http_gateway.py``).

A token is looked up by its SHA-256 and kept in this process for ``KEEP`` seconds with its
person (and their memberships, cached on the person) and the alarm sources it may send events
for (INC-1, ORG-3). Revoking a token forgets it in this process at once; other processes stop
taking it within ``KEEP`` seconds.
"""

from __future__ import annotations

import hashlib
import time
from copy import copy
from dataclasses import dataclass

from django.utils import timezone, translation
from ninja.security import HttpBearer

from .models import ApiToken, Person

KEEP = 1.0  # seconds
MAX_LENGTH = 200
_known: dict[str, tuple[Credential, float]] = {}  # digest → (credential, until)


@dataclass(frozen=True)
class Credential:
    """A valid token: its id, its digest, its person and the ids of the sources it may post
    for."""

    token_id: int
    digest: str
    person: Person
    sources: frozenset[int]


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def credential(raw: str) -> Credential | None:
    """The credential of a token that is not revoked and whose person is active, or None."""
    if not raw or len(raw) > MAX_LENGTH:
        return None
    digest = token_digest(raw)
    known = _known.get(digest)
    if known is not None and known[1] > time.monotonic():
        return known[0]
    found = _look_up(digest)
    if found is None:
        _known.pop(digest, None)
    else:
        _known[digest] = (found, time.monotonic() + KEEP)
    return found


def forget(digest: str) -> None:
    """Drops a token from this process's memory (on revocation)."""
    _known.pop(digest, None)


def _look_up(digest: str) -> Credential | None:
    token = (
        ApiToken.objects.select_related("person")
        .filter(digest=digest, revoked_at=None, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # bookkeeping only
    sources = frozenset(token.sources.values_list("pk", flat=True))
    return Credential(token.pk, digest, token.person, sources)


class TokenAuth(HttpBearer):
    """A personal API token (``Authorization: Bearer zb_…``); ``request.credential`` names
    its sources (INC-1, ORG-3)."""

    def authenticate(self, request, token):
        found = credential(token)
        if found is None:
            return None
        request.credential = found
        request.user = copy(found.person)  # kept a second for every request: not shared
        translation.activate(found.person.language)
        return request.user
