"""The grouped gateway's failure path (``core/grouped_gateway.py``, ADR 0009, ADR 0014): when
a group's transaction fails, each of its requests runs alone, so only the request in trouble
is answered 503 and the others get their own replies. Called as the ASGI server calls it, with
a gateway whose recording fails for one body."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

from zhiban.core.grouped_gateway import GroupedGateway, Reply, bearer

PATH = "/api/test-grouped"


class Gateway(GroupedGateway):
    path = PATH
    max_body = 1024
    name = "test-grouped"
    workers = 1
    lost = "not stored"

    def __init__(self, app):
        super().__init__(app)
        self.transactions: list[list[str]] = []

    def token(self, scope):
        return bearer(scope) or None

    def parsed(self, scope, body):
        return body.decode() or None

    def take(self, waiting):
        return len(waiting)

    def credential(self, token):
        person = SimpleNamespace(language="en")
        return SimpleNamespace(person=person, sources=None, digest=f"{token:0<32}")

    def sender(self, found, request):
        return request.data

    def record(self, senders):
        self.transactions.append(senders)
        if "boom" in senders:
            raise RuntimeError("the database refused it")
        return [Reply(200, json.dumps({"stored": data}).encode()) for data in senders]

    def unavailable(self):
        return b'{"code": "unavailable"}'


async def django(scope, receive, send):
    await send({"type": "http.response.start", "status": 418, "headers": []})
    await send({"type": "http.response.body", "body": b"django"})


async def call(app, body: bytes, path: str = PATH, token: str = "zb_one"):
    """The status, headers and body the app answers to one ``POST``."""
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "scheme": "http",
        "query_string": b"",
        "headers": [
            (b"authorization", f"Bearer {token}".encode()),
            (b"x-request-id", b"request-" + body),
        ],
    }
    received = iter([{"type": "http.request", "body": body, "more_body": False}])
    sent: list[dict] = []

    async def receive():
        return next(received)

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], dict(sent[0]["headers"]), sent[1]["body"]


def test_a_failing_group_runs_each_request_alone_and_only_the_failing_one_is_503__INC_1_CS_1():
    gateway = Gateway(django)

    async def together():
        return await asyncio.gather(*(call(gateway, body) for body in (b"a", b"boom", b"b")))

    answers = asyncio.run(together())

    assert gateway.transactions == [["a", "boom", "b"], ["a"], ["boom"], ["b"]]
    assert [(status, body) for status, _headers, body in answers] == [
        (200, b'{"stored": "a"}'),
        (503, b'{"code": "unavailable"}'),
        (200, b'{"stored": "b"}'),
    ]
    status, headers, _body = answers[1]
    assert (headers[b"retry-after"], headers[b"x-request-id"]) == (b"1", b"request-boom")
    assert headers[b"x-content-type-options"] == b"nosniff"


def test_what_the_gateway_does_not_take_goes_on_to_django__INC_1_CS_1():
    gateway = Gateway(django)

    answers = [
        asyncio.run(call(gateway, b"a", path="/api/other")),
        asyncio.run(call(gateway, b"", token="")),
        asyncio.run(call(gateway, b"")),  # a token, but a body the gateway does not read
    ]

    assert [(status, body) for status, _headers, body in answers] == [(418, b"django")] * 3
    assert gateway.transactions == []
