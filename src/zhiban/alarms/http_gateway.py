"""``POST /api/events`` with a personal token, answered in front of Django and in groups
(INC-1, ADR 0009, ADR 0010), by the grouped gateway of ``core/grouped_gateway.py``.

Many gateways send one event per request, each with a token of its own. Through Django, a
request and a transaction each held that to about a hundred events a second on two cores
(docs/performance.md). Here ``services.events_ingest_from`` runs once for a group of
requests, whatever their tokens, each request a sender of its own (its token's person,
sources and language), and each request gets its own items back, answered exactly as
Django's ``POST /api/events`` (``alarms/api.py``) answers. A request of many events runs on
its own, beside the group.

The token is checked by ``org/tokens.py`` (as the API's ``TokenAuth``; its sources limit
what it may send, ORG-3). Anything else goes on to Django unchanged and gets Django's usual
answer (401, 403, 415, 422, 413…): a browser session, a missing or unknown token, a content
type that is not JSON, a body that is not a JSON array of at most 1,000 items, another
method or path.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from zhiban.core.actors import Source
from zhiban.core.api_auth import is_json
from zhiban.core.grouped_gateway import GroupedGateway, Reply, Request, bearer, header
from zhiban.org.tokens import credential

from . import events, services

ALONE_FROM = 100  # a request of this many events or more is not worth grouping
THREADS = 4  # transactions at once per process: well under the connection pool (ADR 0007)


class EventsGateway(GroupedGateway):
    """ASGI middleware in front of Django (``zhiban.asgi``): one per process."""

    path = "/api/events"
    max_body = 2 * 1024 * 1024  # bytes; a batch of 1,000 events is a few hundred KB
    name = "events"
    workers = THREADS
    lost = "the events were not stored"

    def token(self, scope) -> str | None:
        """The token of JSON with ``Authorization: Bearer …``, else None (Django answers:
        another content type is 415 there)."""
        if not is_json(header(scope, b"content-type")):
            return None
        return bearer(scope) or None

    def parsed(self, scope, body: bytes) -> list | None:
        """The items of a JSON array of at most ``MAX_BATCH``; else None (Django says why)."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None
        if isinstance(data, list) and len(data) <= events.MAX_BATCH:
            return data
        return None

    def alone(self, request: Request) -> bool:
        return len(request.data) >= ALONE_FROM

    def take(self, waiting: list[Request]) -> int:
        """The first requests of at most ``MAX_BATCH`` events together."""
        count, size = 0, 0
        for request in waiting:
            size += len(request.data)
            if size > events.MAX_BATCH:
                break
            count += 1
        return count

    def credential(self, token: str):
        return credential(token)

    def sender(self, found, request: Request) -> services.Sender:
        """The request's items parsed in its person's language, sent in its token's name
        (INC-1, ORG-3)."""
        items = [events.parse(item) for item in request.data]
        return services.Sender(found.person, items, found.sources, found.person.language)

    def record(self, senders: list[services.Sender]) -> list[Reply]:
        """Each sender's items of one ``events_ingest_from`` for all of them (INC-1)."""
        results = services.events_ingest_from(source=Source.API, channel="http", senders=senders)
        return [Reply(200, events.answer(result)) for result in results]

    def unavailable(self) -> bytes:
        message = _("The events were not stored; send them again (INC-1).")
        error = {"code": "unavailable", "message": message, "rule": "INC-1", "fields": {}}
        return json.dumps(error, ensure_ascii=False).encode()
