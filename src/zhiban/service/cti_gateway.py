"""``POST /api/service/calls`` with a token, answered in front of Django and in groups (CS-1,
ADR 0014; issue 12 item 9: one event per request at hundreds a second from many telephone
systems, each with its own token), by the grouped gateway of ``core/grouped_gateway.py`` as
for ``POST /api/events``.

Django runs a project's synchronous views one at a time per process (ASGI), so one request
and one transaction per event through Django is bounded by the round trips of each. Here
``services.calls.call_events_record`` runs once for a group of requests, whatever their
tokens, each event in its sender's name, and each request gets its own answer — exactly
what Django's ``POST /api/service/calls`` (``api/calls.py``) answers: the call as
``CallEventOut``, or the refusal as ``{"code", "message", "rule", "fields"}`` in the
sender's language.

The token is checked by ``org/tokens.py`` (``Authorization: Bearer …`` or ``?token=…``).
Anything else goes on to Django unchanged and gets Django's answer: no token or an unknown
one (401), another content type than JSON or url-encoded form data (multipart forms too), a
body over 64 KB, another method or path.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.responses import NinjaJSONEncoder

from zhiban.core.actors import Source
from zhiban.core.errors import DomainError
from zhiban.core.grouped_gateway import GroupedGateway, Reply, Request, bearer, header
from zhiban.org.tokens import credential

from . import cti
from .api.calls import CallEventOut
from .services import calls

MAX_GROUP = 200
FORM = "application/x-www-form-urlencoded"


class CallsGateway(GroupedGateway):
    """ASGI middleware in front of Django (``zhiban.asgi``): one per process."""

    path = "/api/service/calls"
    max_body = 64 * 1024  # one event is a few hundred bytes
    name = "calls"
    workers = 4  # transactions at once per process: well under the connection pool (ADR 0007)
    lost = "the event was not stored"

    def token(self, scope) -> str | None:
        """The token of JSON or url-encoded form data, bearer or ``?token=``; None
        otherwise (Django answers)."""
        if _kind(scope) not in ("application/json", FORM):
            return None
        token = bearer(scope)
        if token is None:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            token = (query.get("token") or [""])[-1].strip()
        return token or None

    def parsed(self, scope, body: bytes):
        """One event's fields: a JSON object or form data (a ``QueryDict``); None for
        anything else (Django says what is wrong with it)."""
        if _kind(scope) == FORM:
            try:
                return QueryDict(body, encoding="utf-8")
            except Exception:  # noqa: BLE001 — Django's own parser says why
                return None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None
        return data if isinstance(data, dict) else None

    def take(self, waiting: list[Request]) -> int:
        return MAX_GROUP

    def credential(self, token: str):
        return credential(token)

    def sender(self, found, request: Request) -> tuple[object, cti.CallEvent] | Reply:
        """The event in its token's person's name, or 422 if it cannot be read."""
        try:
            return found.person, cti.read(request.data)
        except DomainError as refusal:
            return _refused(refusal)

    def record(self, senders: list[tuple[object, cti.CallEvent]]) -> list[Reply]:
        """Each event's answer of one ``call_events_record`` for all, in its sender's
        language."""
        results = calls.call_events_record(source=Source.API, events=senders)
        replies = []
        for (person, _event), result in zip(senders, results, strict=True):
            with translation.override(person.language):
                replies.append(_answer(result))
        return replies

    def unavailable(self) -> bytes:
        message = _("The event was not stored; send it again.")
        error = {"code": "unavailable", "message": message, "rule": None, "fields": {}}
        return json.dumps(error, ensure_ascii=False).encode()


def _kind(scope) -> str:
    return header(scope, b"content-type").partition(";")[0].strip().lower()


def _answer(result) -> Reply:
    """The answer Django's endpoint gives: the call as ``CallEventOut``, or the refusal."""
    if isinstance(result, DomainError):
        return _refused(result)
    body = CallEventOut.from_orm(result).model_dump()
    return Reply(200, json.dumps(body, cls=NinjaJSONEncoder, ensure_ascii=False).encode())


def _refused(refusal: DomainError) -> Reply:
    body = {
        "code": refusal.code,
        "message": refusal.text(),
        "rule": refusal.rule,
        "fields": refusal.fields,
        **getattr(refusal, "extra", {}),
    }
    return Reply(refusal.status, json.dumps(body, ensure_ascii=False).encode())
