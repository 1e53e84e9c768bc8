"""``POST /api/events`` with a personal token, answered in front of Django and in groups
(INC-1, ADR 0009, ADR 0010).

Many gateways send one event per request, each with a token of its own. Through Django, a
request and a transaction each held that to about a hundred events a second on two cores
(docs/performance.md). Here, the events of the requests that arrive while one transaction
runs go together into the next (group commit), whatever their tokens:
``services.events_ingest_from`` runs once for all of them, each request a sender of its own
(its token's person, sources and language), and each request gets its own items back,
answered exactly as Django's ``POST /api/events`` (``alarms/api.py``) answers. A request of
many events runs on its own, beside the group.

It shares the API's doors with Django: the token is checked by ``org/tokens.py`` (as the
API's ``TokenAuth``; its sources limit what it may send, ORG-3), throttled by the API's
``TokenThrottle`` (429), the ``X-Request-ID`` is taken and echoed as ``RequestIdMiddleware``
does, and the answer carries the security headers Django's middleware gives
(``core.middleware.security_headers``). Anything else goes on to Django unchanged and gets
Django's usual answer (401, 403, 415, 422, 413…): a browser session, a missing or unknown
token, a content type that is not JSON, a body that is not a JSON array of at most 1,000
items, another method or path.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext as _

from zhiban.core import live
from zhiban.core.actors import Source, reset_request_id, set_request_id
from zhiban.core.api_auth import is_json, token_allowance, too_many_requests
from zhiban.core.middleware import request_id_from, security_headers
from zhiban.org.tokens import credential

from . import events, services

PATH = "/api/events"
ALONE_FROM = 100  # a request of this many events or more is not worth grouping
# A group waits this long for more requests before its transaction, unless it holds GROUP
# requests already: fewer, larger transactions take the locks every gateway shares (the
# audit chain's head, the alarm keys') fewer times (docs/performance.md: 1,000 → 1,600 events
# a second with 16 clients)
LINGER = 0.002
GROUP = 6
MAX_BODY = 2 * 1024 * 1024  # bytes; a batch of 1,000 events is a few hundred KB
THREADS = 4  # transactions at once per process: well under the connection pool (ADR 0007)

_sending: set[asyncio.Task] = set()
_threads = ThreadPoolExecutor(THREADS, thread_name_prefix="events")

log = logging.getLogger(__name__)


@dataclass
class _Request:
    """One request on the grouped path: its token, its batch and its request id."""

    token: str
    batch: list
    request_id: str


@dataclass
class _Reply:
    """A request's answer: 200 with its items, or a refusal (429) as JSON."""

    status: int
    body: bytes
    headers: list = field(default_factory=list)


class EventsGateway:
    """ASGI middleware in front of Django (``zhiban.asgi``): one per process."""

    def __init__(self, app):
        self.app = app
        self.group = _Group()

    async def __call__(self, scope, receive, send):
        token = _bearer(scope)
        headers = security_headers(_secure(scope)) if token is not None else None
        if headers is None:
            return await self.app(scope, receive, send)
        body, complete = await _body(receive)
        if body is None:  # the client went away
            return
        batch = _batch(body) if complete else None
        request_id = request_id_from(_header(scope, b"x-request-id")) or uuid.uuid4().hex
        reply = None
        if batch is not None:
            try:
                reply = await self._reply(_Request(token, batch, request_id))
            except Exception:
                log.exception("POST /api/events: the events were not stored")
                reply = _Reply(503, _unavailable(), [(b"retry-after", b"1")])
        if reply is None:  # too long, not a batch, not a valid token: Django answers
            return await self.app(scope, _replay(body, complete, receive), send)
        await _send(send, reply, [*headers, (b"x-request-id", request_id.encode())])

    async def _reply(self, request: _Request) -> _Reply | None:
        if len(request.batch) >= ALONE_FROM:
            return (await _run([request]))[0]
        return await self.group.submit(request)


class _Group:
    """The small requests, of any token, waiting for the next transaction; at most one
    transaction of the group runs at a time in this process."""

    def __init__(self):
        self.waiting: list[tuple[_Request, asyncio.Future]] = []
        self.flushing: asyncio.Task | None = None

    async def submit(self, request: _Request) -> _Reply | None:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((request, future))
        if self.flushing is None:
            self.flushing = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        taken: list[tuple[_Request, asyncio.Future]] = []
        try:
            while self.waiting:
                if len(self.waiting) < GROUP:
                    await asyncio.sleep(LINGER)
                taken, size = [], 0
                while self.waiting and size + len(self.waiting[0][0].batch) <= events.MAX_BATCH:
                    taken.append(self.waiting.pop(0))
                    size += len(taken[-1][0].batch)
                await _answer_all(taken)
        finally:  # cancelled (the server stops): nobody waits for ever
            for _request, future in taken + self.waiting:
                future.cancel()
            self.flushing = None


async def _answer_all(taken: list[tuple[_Request, asyncio.Future]]) -> None:
    """Answers the requests of one transaction. If it fails, each request runs alone, so
    one request's trouble is not the others' (it then answers 503)."""
    try:
        replies = await _run([request for request, _ in taken])
    except Exception as error:
        if len(taken) == 1:
            taken[0][1].set_exception(error)
            return
        for one in taken:
            await _answer_all([one])
        return
    for (_request, future), reply in zip(taken, replies, strict=True):
        if not future.done():  # its client may have gone
            future.set_result(reply)


async def _run(requests: list[_Request]) -> list[_Reply | None]:
    """One transaction for the requests (INC-1), in a worker thread; the live pushes are
    sent from the loop afterwards, while the thread takes the next group."""
    replies, pushes = await _in_thread(requests)
    if pushes:
        task = asyncio.get_running_loop().create_task(live.send_all(pushes))
        _sending.add(task)  # held until done: the loop keeps only a weak reference
        task.add_done_callback(_sending.discard)
    return replies


@sync_to_async(thread_sensitive=False, executor=_threads)
def _in_thread(requests: list[_Request]):
    """Each request's reply, with the live pushes to send: None for a token that is not
    valid (Django answers 401), 429 for a token's requests over its rate (its last ones),
    else its items of one ``events_ingest_from`` for all the others, each request a sender
    in its token's name (INC-1, ORG-3). The audit events carry the request id of the first
    request."""
    close_old_connections()
    request_id = set_request_id(requests[0].request_id)
    try:
        replies, senders = _senders(requests)
        pushes: list = []
        if senders:
            with live.collected() as pushes:
                results = iter(
                    services.events_ingest_from(
                        source=Source.API, channel="http", senders=list(senders.values())
                    )
                )
            for i in senders:
                replies[i] = _Reply(200, events.answer(next(results)))
        return replies, pushes
    finally:
        reset_request_id(request_id)
        close_old_connections()


def _senders(requests: list[_Request]) -> tuple[list[_Reply | None], dict[int, services.Sender]]:
    """The replies known before the transaction (None: Django answers), and the sender of
    each other request by its place: each token checked once, its rate counted once for all
    its requests, its items parsed in its person's language."""
    replies: list[_Reply | None] = [None] * len(requests)
    senders: dict[int, services.Sender] = {}
    for token in dict.fromkeys(r.token for r in requests):
        found = credential(token)
        if found is None:
            continue
        places = [i for i, r in enumerate(requests) if r.token == token]
        language = found.person.language
        with translation.override(language):
            allowed, wait = token_allowance(found, len(places))
            for i in places[allowed:]:
                replies[i] = _throttled(wait)
            for i in places[:allowed]:
                items = [events.parse(item) for item in requests[i].batch]
                senders[i] = services.Sender(found.person, items, found.sources, language)
    senders = dict(sorted(senders.items()))  # in the order the requests came
    return replies, senders


def _throttled(wait: float) -> _Reply:
    """429: the token is over its rate (the API's own throttle)."""
    body = json.dumps(too_many_requests(), ensure_ascii=False).encode()
    return _Reply(429, body, [(b"retry-after", str(math.ceil(wait)).encode())])


def _header(scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


def _bearer(scope) -> str | None:
    """The token of a ``POST /api/events`` of JSON with ``Authorization: Bearer …``, else
    None (Django answers: another content type is 415 there)."""
    if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PATH:
        return None
    if not is_json(_header(scope, b"content-type")):
        return None
    scheme, _sep, token = _header(scope, b"authorization").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _secure(scope) -> bool:
    """HTTPS, directly or as the proxy named by ``SECURE_PROXY_SSL_HEADER`` says."""
    if scope.get("scheme") == "https":
        return True
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if not proxy:
        return False
    name = proxy[0].removeprefix("HTTP_").lower().replace("_", "-").encode()
    return _header(scope, name) == proxy[1]


async def _body(receive) -> tuple[bytes | None, bool]:
    """The body, and whether it is all there: reading stops after ``MAX_BODY`` bytes (Django
    then reads the rest, and refuses what is over its own limit). None if the client left."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None, False
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if not message.get("more_body"):
            return b"".join(chunks), True
        if size > MAX_BODY:
            return b"".join(chunks), False


def _batch(body: bytes) -> list | None:
    """The items of a JSON array of at most ``MAX_BATCH``; else None (Django says why)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, list) and len(data) <= events.MAX_BATCH:
        return data
    return None


def _replay(body: bytes, complete: bool, receive):
    """``receive`` for Django: the part of the body already read, then the client's own
    messages (the rest of the body, its disconnect)."""
    sent = False

    async def replayed():
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": not complete}

    return replayed


def _unavailable() -> bytes:
    message = _("The events were not stored; send them again (INC-1).")
    error = {"code": "unavailable", "message": message, "rule": "INC-1", "fields": {}}
    return json.dumps(error, ensure_ascii=False).encode()


async def _send(send, reply: _Reply, headers: list) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(reply.body)).encode()),
        *headers,
        *reply.headers,
    ]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
