"""``POST /api/service/calls`` with a token, answered in front of Django and in groups (issue
12 item 9: one event per request at hundreds a second from many telephone systems, each with
its own token), as the alarm gateway does for ``POST /api/events`` (ADR 0009, ADR 0010).

Django runs a project's synchronous views one at a time per process (ASGI), so one request
and one transaction per event through Django is bounded by the round trips of each. Here the
events of the requests that arrive while one transaction runs go together into the next,
whatever their tokens: ``services.calls.call_events_record`` runs once for all of them in a
worker thread, each event in its sender's name, and each request gets its own answer —
exactly what Django's ``POST /api/service/calls`` (``api/calls.py``) answers: the call as
``CallEventOut``, or the refusal as ``{"code", "message", "rule", "fields"}`` in the
sender's language.

It shares the API's doors with Django: the token is checked by ``org/tokens.py``
(``Authorization: Bearer …`` or ``?token=…``), throttled by the API's ``TokenThrottle`` (429),
the ``X-Request-ID`` is taken and echoed, and the answer carries the security headers Django's
middleware gives. Anything else goes on to Django unchanged and gets Django's answer: no
token or an unknown one (401), another content type than JSON or url-encoded form data
(multipart forms too), a body over 64 KB, another method or path.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.responses import NinjaJSONEncoder

from zhiban.core import live
from zhiban.core.actors import Source, reset_request_id, set_request_id
from zhiban.core.api_auth import token_allowance, too_many_requests
from zhiban.core.errors import DomainError
from zhiban.core.middleware import request_id_from, security_headers
from zhiban.org.tokens import credential

from . import cti
from .api.calls import CallEventOut
from .services import calls

PATH = "/api/service/calls"
MAX_BODY = 64 * 1024  # one event is a few hundred bytes
LINGER = 0.002  # a group waits this long for more requests unless GROUP wait already
GROUP = 6
MAX_GROUP = 200
THREADS = 4  # transactions at once per process: well under the connection pool (ADR 0007)
FORM = "application/x-www-form-urlencoded"

_threads = ThreadPoolExecutor(THREADS, thread_name_prefix="calls")
_sending: set[asyncio.Task] = set()
log = logging.getLogger(__name__)


@dataclass
class _Request:
    token: str
    data: object  # the parsed body: a dict (JSON) or a QueryDict (form data)
    request_id: str


@dataclass
class _Reply:
    status: int
    body: bytes
    headers: list = field(default_factory=list)


class CallsGateway:
    """ASGI middleware in front of Django (``zhiban.asgi``): one per process."""

    def __init__(self, app):
        self.app = app
        self.group = _Group()

    async def __call__(self, scope, receive, send):
        found = _token_and_kind(scope)
        headers = security_headers(_secure(scope)) if found is not None else None
        if headers is None:
            return await self.app(scope, receive, send)
        token, kind = found
        body, complete = await _body(receive)
        if body is None:  # the client went away
            return
        data = _parsed(body, kind) if complete else None
        request_id = request_id_from(_header(scope, b"x-request-id")) or uuid.uuid4().hex
        reply = None
        if data is not None:
            try:
                reply = await self.group.submit(_Request(token, data, request_id))
            except Exception:
                log.exception("POST /api/service/calls: the event was not stored")
                reply = _Reply(503, _unavailable(), [(b"retry-after", b"1")])
        if reply is None:  # not a token, not one readable event: Django answers
            return await self.app(scope, _replay(body, complete, receive), send)
        await _send(send, reply, [*headers, (b"x-request-id", request_id.encode())])


class _Group:
    """The requests of any token waiting for the next transaction; one at a time runs."""

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
                taken, self.waiting = self.waiting[:MAX_GROUP], self.waiting[MAX_GROUP:]
                await _answer_all(taken)
        finally:  # cancelled (the server stops): nobody waits for ever
            for _request, future in taken + self.waiting:
                future.cancel()
            self.flushing = None


async def _answer_all(taken: list[tuple[_Request, asyncio.Future]]) -> None:
    """The requests of one transaction; if it fails, each runs alone (then 503 alone)."""
    try:
        replies = await _run([request for request, _future in taken])
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
    replies, pushes = await _in_thread(requests)
    if pushes:
        task = asyncio.get_running_loop().create_task(live.send_all(pushes))
        _sending.add(task)  # held until done: the loop keeps only a weak reference
        task.add_done_callback(_sending.discard)
    return replies


@sync_to_async(thread_sensitive=False, executor=_threads)
def _in_thread(requests: list[_Request]):
    """Each request's reply and the live pushes to send: None for a token that is not valid
    (Django answers 401), 429 over its token's rate, 422 for an event that cannot be read,
    else the answer of one ``call_events_record`` for all the others. The audit events carry
    the first request's id."""
    close_old_connections()
    request_id = set_request_id(requests[0].request_id)
    try:
        replies: list[_Reply | None] = [None] * len(requests)
        senders: list[tuple[int, object, cti.CallEvent]] = []
        for token in dict.fromkeys(r.token for r in requests):
            found = credential(token)
            if found is None:
                continue
            places = [i for i, r in enumerate(requests) if r.token == token]
            with translation.override(found.person.language):
                allowed, wait = token_allowance(found, len(places))
                for i in places[allowed:]:
                    replies[i] = _throttled(wait)
                for i in places[:allowed]:
                    try:
                        senders.append((i, found.person, cti.read(requests[i].data)))
                    except DomainError as refusal:
                        replies[i] = _refused(refusal)
        senders.sort()
        pushes: list = []
        if senders:
            with live.collected() as pushes:
                results = calls.call_events_record(
                    source=Source.API, events=[(person, event) for _i, person, event in senders]
                )
            for (i, person, _event), result in zip(senders, results, strict=True):
                with translation.override(person.language):
                    replies[i] = _answer(result)
        return replies, pushes
    finally:
        reset_request_id(request_id)
        close_old_connections()


def _answer(result) -> _Reply:
    """The answer Django's endpoint gives: the call as ``CallEventOut``, or the refusal."""
    if isinstance(result, DomainError):
        return _refused(result)
    body = CallEventOut.from_orm(result).model_dump()
    return _Reply(200, json.dumps(body, cls=NinjaJSONEncoder, ensure_ascii=False).encode())


def _refused(refusal: DomainError) -> _Reply:
    body = {
        "code": refusal.code,
        "message": refusal.text(),
        "rule": refusal.rule,
        "fields": refusal.fields,
        **getattr(refusal, "extra", {}),
    }
    return _Reply(refusal.status, json.dumps(body, ensure_ascii=False).encode())


def _throttled(wait: float) -> _Reply:
    body = json.dumps(too_many_requests(), ensure_ascii=False).encode()
    return _Reply(429, body, [(b"retry-after", str(math.ceil(wait)).encode())])


def _unavailable() -> bytes:
    message = _("The event was not stored; send it again.")
    error = {"code": "unavailable", "message": message, "rule": None, "fields": {}}
    return json.dumps(error, ensure_ascii=False).encode()


# --- the request ----------------------------------------------------------------------------------


def _header(scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


def _token_and_kind(scope) -> tuple[str, str] | None:
    """(token, content type) of a ``POST /api/service/calls`` of JSON or url-encoded form
    data with a bearer token or ``?token=``; None otherwise (Django answers)."""
    if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PATH:
        return None
    kind = _header(scope, b"content-type").partition(";")[0].strip().lower()
    if kind not in ("application/json", FORM):
        return None
    scheme, _sep, token = _header(scope, b"authorization").partition(" ")
    if scheme.lower() != "bearer":
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("token") or [""])[-1]
    token = token.strip()
    return (token, kind) if token else None


def _parsed(body: bytes, kind: str):
    """One event's fields: a JSON object or form data; None for anything else (Django says
    what is wrong with it)."""
    if kind == FORM:
        try:
            return QueryDict(body, encoding="utf-8")
        except Exception:  # noqa: BLE001 — Django's own parser says why
            return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _secure(scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if not proxy:
        return False
    name = proxy[0].removeprefix("HTTP_").lower().replace("_", "-").encode()
    return _header(scope, name) == proxy[1]


async def _body(receive) -> tuple[bytes | None, bool]:
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


def _replay(body: bytes, complete: bool, receive):
    """``receive`` for Django: the body already read, then the client's own messages."""
    sent = False

    async def replayed():
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": not complete}

    return replayed


async def _send(send, reply: _Reply, headers: list) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(reply.body)).encode()),
        *headers,
        *reply.headers,
    ]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
