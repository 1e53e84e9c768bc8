"""A token's ``POST`` answered in front of Django and in groups (ADR 0009, ADR 0010, ADR
0014): the ASGI middleware that ``alarms/http_gateway.py`` (``POST /api/events``) and
``service/cti_gateway.py`` (``POST /api/service/calls``) are made of.

The requests of any token that arrive while one transaction runs go together into the next
(group commit), in a worker thread; each request gets its own reply. The token is checked
once per group (``credential``) and throttled as the API's ``TokenThrottle`` does (429); the
``X-Request-ID`` is taken and echoed as ``RequestIdMiddleware`` does, and the answer carries
the security headers Django's middleware gives. If a group's transaction fails, each request
runs alone, and a request that fails alone is answered 503. Whatever a gateway does not take
(another method or path, no token, a body it cannot read or over its size) goes on to Django
unchanged. A gateway says what differs: its path, how a request's token and body are read,
how many waiting requests one transaction takes, and how the senders are recorded.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils import translation

from . import live, metrics
from .actors import reset_request_id, set_request_id
from .api_auth import token_allowance, too_many_requests
from .middleware import request_id_from, security_headers

# A group waits this long for more requests before its transaction, unless it holds GROUP
# requests already: fewer, larger transactions take the locks every gateway shares (the
# audit chain's head, the alarm keys') fewer times (docs/performance.md: 1,000 → 1,600 events
# a second with 16 clients)
LINGER = 0.002
GROUP = 6

_sending: set[asyncio.Task] = set()


@dataclass
class Request:
    """One request on the grouped path: its token, its parsed body and its request id."""

    token: str
    data: object
    request_id: str


@dataclass
class Reply:
    """A request's answer as JSON: its status, body and own headers."""

    status: int
    body: bytes
    headers: list = field(default_factory=list)


class GroupedGateway:
    """ASGI middleware in front of Django (``zhiban.asgi``): one per process. A gateway
    sets ``path``, ``max_body``, ``name`` and ``workers`` (its threads' name and number: the
    transactions it runs at once) and ``lost`` (what the log says when a request fails), and
    defines the methods below that raise ``NotImplementedError``."""

    path: str
    max_body: int
    name: str
    workers: int
    lost: str

    def __init__(self, app):
        self.app = app
        self.group = _Group(self._run, self.take)
        self.threads = ThreadPoolExecutor(self.workers, thread_name_prefix=self.name)
        self.log = logging.getLogger(type(self).__module__)

    # --- what a gateway says ------------------------------------------------------------------

    def token(self, scope) -> str | None:
        """The token of a ``POST`` to the path that this gateway takes, else None."""
        raise NotImplementedError

    def parsed(self, scope, body: bytes) -> object | None:
        """The request's body as the gateway takes it, else None (Django says why)."""
        raise NotImplementedError

    def alone(self, request: Request) -> bool:
        """Whether the request runs on its own, beside the group."""
        return False

    def take(self, waiting: list[Request]) -> int:
        """How many of the first waiting requests the next transaction takes: at least one;
        a number over those waiting takes them all."""
        raise NotImplementedError

    def credential(self, token: str):
        """The token's credential (its person, sources and digest), or None if not valid."""
        raise NotImplementedError

    def sender(self, found, request: Request) -> object | Reply:
        """The request as a sender in its token's name, or its reply if it is refused now;
        called in the token's person's language."""
        raise NotImplementedError

    def record(self, senders: list) -> list[Reply]:
        """Each sender's reply, of one transaction for all of them."""
        raise NotImplementedError

    def unavailable(self) -> bytes:
        """The 503 body: the request was not stored."""
        raise NotImplementedError

    # --- the machinery --------------------------------------------------------------------------

    async def __call__(self, scope, receive, send):
        token = self.token(scope) if _posted(scope, self.path) else None
        headers = security_headers(_secure(scope)) if token is not None else None
        if headers is None:
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        body, complete = await _body(receive, self.max_body)
        if body is None:  # the client went away
            return
        data = self.parsed(scope, body) if complete else None
        request_id = request_id_from(header(scope, b"x-request-id")) or uuid.uuid4().hex
        reply = None
        if data is not None:
            try:
                reply = await self._reply(Request(token, data, request_id))
            except Exception:
                self.log.exception("POST %s: %s", self.path, self.lost)
                reply = Reply(503, self.unavailable(), [(b"retry-after", b"1")])
        if reply is None:  # too long, not readable, not a valid token: Django answers
            return await self.app(scope, _replay(body, complete, receive), send)
        await _send(send, reply, [*headers, (b"x-request-id", request_id.encode())])
        seconds = time.perf_counter() - start
        route = self.path.lstrip("/")
        client = (scope.get("client") or ("",))[0]
        metrics.request_done(
            route, "POST", self.path, reply.status, seconds, request_id=request_id, client=client
        )

    async def _reply(self, request: Request) -> Reply | None:
        if self.alone(request):
            return (await self._run([request]))[0]
        return await self.group.submit(request)

    async def _run(self, requests: list[Request]) -> list[Reply | None]:
        """One transaction for the requests, in a worker thread; the live pushes are sent
        from the loop afterwards, while the thread takes the next group."""
        in_thread = sync_to_async(self._in_thread, thread_sensitive=False, executor=self.threads)
        replies, pushes = await in_thread(requests)
        if pushes:
            task = asyncio.get_running_loop().create_task(live.send_all(pushes))
            _sending.add(task)  # held until done: the loop keeps only a weak reference
            task.add_done_callback(_sending.discard)
        return replies

    def _in_thread(self, requests: list[Request]):
        """Each request's reply, with the live pushes to send: None for a token that is not
        valid (Django answers 401), 429 for a token's requests over its rate (its last
        ones), a refusal of ``sender``, else its reply of one ``record`` for all the others.
        The audit events carry the request id of the first request."""
        close_old_connections()
        request_id = set_request_id(requests[0].request_id)
        try:
            replies, senders = self._senders(requests)
            pushes: list = []
            if senders:
                with live.collected() as pushes:
                    recorded = self.record(list(senders.values()))
                for i, reply in zip(senders, recorded, strict=True):
                    replies[i] = reply
            return replies, pushes
        finally:
            reset_request_id(request_id)
            close_old_connections()

    def _senders(self, requests: list[Request]) -> tuple[list[Reply | None], dict[int, object]]:
        """The replies known before the transaction (None: Django answers), and the sender of
        each other request by its place: each token checked once, its rate counted once for
        all its requests, its requests read in its person's language."""
        replies: list[Reply | None] = [None] * len(requests)
        senders: dict[int, object] = {}
        for token in dict.fromkeys(r.token for r in requests):
            found = self.credential(token)
            if found is None:
                continue
            places = [i for i, r in enumerate(requests) if r.token == token]
            with translation.override(found.person.language):
                allowed, wait = token_allowance(found, len(places))
                for i in places[allowed:]:
                    replies[i] = _throttled(wait)
                for i in places[:allowed]:
                    read = self.sender(found, requests[i])
                    if isinstance(read, Reply):
                        replies[i] = read
                    else:
                        senders[i] = read
        return replies, dict(sorted(senders.items()))  # in the order the requests came


class _Group:
    """The requests, of any token, waiting for the next transaction; at most one transaction
    of the group runs at a time in this process."""

    def __init__(self, run, take):
        self.run = run
        self.take = take
        self.waiting: list[tuple[Request, asyncio.Future]] = []
        self.flushing: asyncio.Task | None = None

    async def submit(self, request: Request) -> Reply | None:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((request, future))
        if self.flushing is None:
            self.flushing = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        taken: list[tuple[Request, asyncio.Future]] = []
        try:
            while self.waiting:
                if len(self.waiting) < GROUP:
                    await asyncio.sleep(LINGER)
                count = self.take([request for request, _future in self.waiting])
                taken, self.waiting = self.waiting[:count], self.waiting[count:]
                await self._answer_all(taken)
        finally:  # cancelled (the server stops): nobody waits for ever
            for _request, future in taken + self.waiting:
                future.cancel()
            self.flushing = None

    async def _answer_all(self, taken: list[tuple[Request, asyncio.Future]]) -> None:
        """Answers the requests of one transaction. If it fails, each request runs alone, so
        one request's trouble is not the others' (it then answers 503)."""
        try:
            replies = await self.run([request for request, _future in taken])
        except Exception as error:
            if len(taken) == 1:
                taken[0][1].set_exception(error)
                return
            for one in taken:
                await self._answer_all([one])
            return
        for (_request, future), reply in zip(taken, replies, strict=True):
            if not future.done():  # its client may have gone
                future.set_result(reply)


def _throttled(wait: float) -> Reply:
    """429: the token is over its rate (the API's own throttle)."""
    body = json.dumps(too_many_requests(), ensure_ascii=False).encode()
    return Reply(429, body, [(b"retry-after", str(math.ceil(wait)).encode())])


def header(scope, name: bytes) -> str:
    """A request header's value, or ""."""
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


def bearer(scope) -> str | None:
    """The token of ``Authorization: Bearer …`` (perhaps ""), None under another scheme."""
    scheme, _sep, token = header(scope, b"authorization").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _posted(scope, path: str) -> bool:
    return scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == path


def _secure(scope) -> bool:
    """HTTPS, directly or as the proxy named by ``SECURE_PROXY_SSL_HEADER`` says."""
    if scope.get("scheme") == "https":
        return True
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if not proxy:
        return False
    name = proxy[0].removeprefix("HTTP_").lower().replace("_", "-").encode()
    return header(scope, name) == proxy[1]


async def _body(receive, most: int) -> tuple[bytes | None, bool]:
    """The body, and whether it is all there: reading stops after ``most`` bytes (Django
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
        if size > most:
            return b"".join(chunks), False


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


async def _send(send, reply: Reply, headers: list) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(reply.body)).encode()),
        *headers,
        *reply.headers,
    ]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
