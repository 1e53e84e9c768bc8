"""``POST /api/events`` with a personal token, answered in front of Django and in groups
(INC-1, ADR 0009).

Many gateways send one event per request. Through Django, a request and a transaction each
held that to about a hundred events a second on two cores (docs/performance.md). Here, the
events of the requests that arrive while one transaction runs go together into the next
(group commit): ``services.events_ingest`` runs once for all of them, and each request gets
its own items back, answered exactly as Django's ``POST /api/events`` (``alarms/api.py``)
answers. A request of many events runs on its own, beside the groups.

Anything else goes on to Django unchanged and gets Django's usual answer (403, 422, 413…): a
browser session, a missing or unknown token, a body that is not a JSON array of at most 1,000
items, another method or path. A token is checked in the group's thread and its person (with
their memberships) is kept for ``KEEP_PERSON`` seconds: a revoked token or membership stops
working within that time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext as _

from zhiban.core import live
from zhiban.core.actors import Source, reset_request_id, set_request_id
from zhiban.core.api import token_person

from . import events, services

PATH = "/api/events"
ALONE_FROM = 100  # a request of this many events or more is not worth grouping
# A group waits this long for more requests before its transaction, unless it holds GROUP
# requests already: fewer, larger transactions take the locks every gateway shares (the
# audit chain's head, the alarm keys') fewer times (docs/performance.md: 1,000 → 1,600 events
# a second with 16 clients)
LINGER = 0.002
GROUP = 6
KEEP_PERSON = 1.0  # seconds
MAX_BODY = 2 * 1024 * 1024  # bytes; a batch of 1,000 events is a few hundred KB
THREADS = 4  # transactions at once per process: well under the connection pool (ADR 0007)

_persons: dict[str, tuple[object, float]] = {}  # token → (person, until)
_sending: set[asyncio.Task] = set()
_threads = ThreadPoolExecutor(THREADS, thread_name_prefix="events")

log = logging.getLogger(__name__)


class EventsGateway:
    """ASGI middleware in front of Django (``zhiban.asgi``): one per process."""

    def __init__(self, app):
        self.app = app
        self.groups: dict[str, _Group] = {}

    async def __call__(self, scope, receive, send):
        token = _bearer(scope)
        if token is None:
            return await self.app(scope, receive, send)
        body, complete = await _body(receive)
        if body is None:  # the client went away
            return
        batch = _batch(body) if complete else None
        answers = None
        if batch is not None:
            try:
                answers = await self._answers(token, batch)
            except Exception:
                log.exception("POST /api/events: the events were not stored")
                return await _reply(send, 503, _unavailable())
        if answers is None:  # too long, not a batch, not a token: Django answers
            return await self.app(scope, _replay(body, complete, receive), send)
        await _reply(send, 200, events.answer(answers))

    async def _answers(self, token: str, batch: list) -> list[events.ItemResult] | None:
        if len(batch) >= ALONE_FROM:
            return (await _run(token, [batch]))[0]
        group = self.groups.get(token)
        if group is None:
            group = self.groups[token] = _Group(token, self.groups)
        return await group.submit(batch)


class _Group:
    """The small requests of one token waiting for the next transaction; at most one
    transaction of the group runs at a time in this process."""

    def __init__(self, token: str, groups: dict):
        self.token, self.groups = token, groups
        self.waiting: list[tuple[list, asyncio.Future]] = []
        self.flushing: asyncio.Task | None = None

    async def submit(self, batch: list) -> list[events.ItemResult] | None:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((batch, future))
        if self.flushing is None:
            self.flushing = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        taken: list[tuple[list, asyncio.Future]] = []
        try:
            while self.waiting:
                if len(self.waiting) < GROUP:
                    await asyncio.sleep(LINGER)
                taken, size = [], 0
                while self.waiting and size + len(self.waiting[0][0]) <= events.MAX_BATCH:
                    taken.append(self.waiting.pop(0))
                    size += len(taken[-1][0])
                await _answer_all(self.token, taken)
        finally:  # cancelled (the server stops): nobody waits for ever
            for _batch, future in taken + self.waiting:
                future.cancel()
            self.flushing = None
            if self.groups.get(self.token) is self:
                del self.groups[self.token]


async def _answer_all(token: str, taken: list[tuple[list, asyncio.Future]]) -> None:
    """Answers the requests of one transaction. If it fails, each request runs alone, so
    one request's trouble is not the others' (it then answers 503)."""
    try:
        answers = await _run(token, [batch for batch, _ in taken])
    except Exception as error:
        if len(taken) == 1:
            taken[0][1].set_exception(error)
            return
        for one in taken:
            await _answer_all(token, [one])
        return
    for (_batch, future), answer in zip(taken, answers, strict=True):
        if not future.done():  # its client may have gone
            future.set_result(answer)


async def _run(token: str, batches: list[list]) -> list[list[events.ItemResult] | None]:
    """One transaction for the batches of one token (INC-1), in a worker thread; the live
    pushes are sent from the loop afterwards, while the thread takes the next group."""
    answers, pushes = await _in_thread(token, batches)
    if pushes:
        task = asyncio.get_running_loop().create_task(live.send_all(pushes))
        _sending.add(task)  # held until done: the loop keeps only a weak reference
        task.add_done_callback(_sending.discard)
    return answers


@sync_to_async(thread_sensitive=False, executor=_threads)
def _in_thread(token: str, batches: list[list]):
    """The items of the batches together, then each batch's results with its own indexes;
    None for each when the token is not valid. With the live pushes to send. The audit
    event of the group carries a request id of its own."""
    close_old_connections()
    request = set_request_id()
    try:
        person = _person(token)
        if person is None:
            return [None] * len(batches), []
        with translation.override(person.language), live.collected() as pushes:
            results = services.events_ingest(
                actor=person,
                source=Source.API,
                items=[events.parse(item) for batch in batches for item in batch],
                channel="http",
            )
        answers, start = [], 0
        for batch in batches:
            mine = results[start : start + len(batch)]
            answers.append([replace(result, index=result.index - start) for result in mine])
            start += len(batch)
        return answers, pushes
    finally:
        reset_request_id(request)
        close_old_connections()


def _person(token: str):
    known = _persons.get(token)
    if known is not None and known[1] > time.monotonic():
        return known[0]
    person = token_person(token)
    if person is None:
        _persons.pop(token, None)
    else:
        _persons[token] = (person, time.monotonic() + KEEP_PERSON)
    return person


def _bearer(scope) -> str | None:
    """The token of a ``POST /api/events`` with ``Authorization: Bearer …``, else None."""
    if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PATH:
        return None
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _sep, token = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer":
                return None
            return token.strip() or None
    return None


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


async def _reply(send, status: int, body: bytes) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"),
    ]
    if status == 503:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
