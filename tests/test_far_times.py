"""No far time gives a 500 (DESIGN rule 5, ORG-4): every API operation whose body or query has
a date or date-time field — found by walking the OpenAPI document, so a new endpoint is
covered the day it appears — is sent far values (the end of time, the start of time, years
ahead and behind, zone shifts past what Python can hold); each answer is below 500 and JSON.
Afterwards the centre's console, duty page, log page and the log's export still answer 200."""

from __future__ import annotations

import json
import re
from itertools import cycle

from django.test import Client

FAR_DATETIMES = [
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-08:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+08:00",
    "2030-01-01T00:00:00Z",
    "1900-01-01T00:00:00Z",
]
FAR_DATES = ["9999-12-31", "0001-01-01", "2030-01-01", "1900-01-01"]
# query filters typed as text in the schema but read as dates or times
TIME_LIKE = re.compile(r"^(since|until|day|week|month|date|from|to)$|_(at|on|from|to)$")
FILES = (".xlsx", ".pdf")


class Spec:
    """The OpenAPI document with ``$ref`` resolved on demand."""

    def __init__(self, document: dict):
        self.document = document
        self.schemas = document["components"]["schemas"]

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def temporal(self, schema: dict, seen: frozenset = frozenset()) -> str | None:
        """ "date-time" or "date" if the schema holds such a field anywhere, else None."""
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return None if name in seen else self.temporal(self.schemas[name], seen | {name})
        if schema.get("format") in ("date-time", "date"):
            return schema["format"]
        parts = [
            *schema.get("anyOf", []),
            *schema.get("allOf", []),
            *schema.get("oneOf", []),
            *schema.get("properties", {}).values(),
        ]
        if isinstance(schema.get("items"), dict):
            parts.append(schema["items"])
        for part in parts:
            found = self.temporal(part, seen)
            if found:
                return found
        return None

    def example(self, schema: dict, far: dict, depth: int = 0):
        """A value of ``schema`` with every date-time / date set to ``far``."""
        schema = self.resolve(schema)
        if schema.get("format") in far:
            return far[schema["format"]]
        options = [self.resolve(o) for o in schema.get("anyOf", schema.get("oneOf", []))]
        if options:
            chosen = next((o for o in options if self.temporal(o)), None)
            chosen = chosen or next((o for o in options if o.get("type") != "null"), options[0])
            return self.example(chosen, far, depth)
        if "allOf" in schema:
            return self.example(schema["allOf"][0], far, depth)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            required = set(schema.get("required", []))
            return {
                name: self.example(prop, far, depth + 1)
                for name, prop in schema.get("properties", {}).items()
                if name in required or self.temporal(prop)
            }
        if kind == "array":
            items = schema.get("items", {})
            return [self.example(items, far, depth + 1)] if self.temporal(items) else []
        if kind == "integer":
            return max(schema.get("minimum", 1), 1)
        if kind == "number":
            return 1
        if kind == "boolean":
            return False
        if kind == "null":
            return None
        return "x"


def operations(spec: Spec):
    """(method, path, operation, body schema, time query names) of every operation with a
    date or date-time in its body or query."""
    for path, methods in spec.document["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            body_schema = body.get("schema")
            query = {
                p["name"]: spec.temporal(p.get("schema", {}))
                or ("date" if TIME_LIKE.search(p["name"]) else None)
                for p in op.get("parameters", [])
                if p["in"] == "query"
            }
            query = {name: kind for name, kind in query.items() if kind}
            if query or (body_schema and spec.temporal(body_schema)):
                yield method, path, body_schema, query


def some_id(client: Client, path: str, name: str, known: dict) -> str:
    """An id of an existing record for ``{name}`` in ``path`` (the collection's first), or 1;
    an id found is remembered in ``known`` (one look per collection)."""
    listing = path.split("{" + name + "}")[0].rstrip("/").replace("{code}", "alpha")
    if listing in known:
        return known[listing]
    r = client.get(listing)
    if r.status_code == 200 and r.headers["Content-Type"].startswith("application/json"):
        items = r.json()
        items = items.get("items", []) if isinstance(items, dict) else items
        if items and isinstance(items[0], dict) and "id" in items[0]:
            known[listing] = str(items[0]["id"])
            return known[listing]
    return "1"


def test_far_times_never_give_a_server_error__ORG_4(world):
    chief = world.people["chief_a"]
    client = Client(raise_request_exception=False)
    client.force_login(chief, backend="django.contrib.auth.backends.ModelBackend")
    setup = client.post(
        "/api/centres/alpha/log",
        json.dumps({"category": "operation", "text": "正常记事"}),
        content_type="application/json",
    )
    assert setup.status_code == 201, setup.content
    spec = Spec(client.get("/api/openapi.json").json())
    found = list(operations(spec))
    assert len(found) > 30, [f"{m} {p}" for m, p, *_ in found]  # the walk finds them
    failures, statuses, known = [], {}, {}
    for method, path, body_schema, query in found:
        url = path.replace("{code}", "alpha")
        for name in re.findall(r"{(\w+)}", url):
            url = url.replace("{" + name + "}", some_id(client, path, name, known))
        sent = set()
        for far_datetime, far_date in zip(FAR_DATETIMES, cycle(FAR_DATES)):
            far = {"date-time": far_datetime, "date": far_date}
            params = {name: far[kind] for name, kind in query.items()}
            kwargs = {"QUERY_STRING": "&".join(f"{k}={v}" for k, v in params.items())}
            if body_schema:
                kwargs["data"] = json.dumps(spec.example(body_schema, far))
                kwargs["content_type"] = "application/json"
            if (request := (kwargs["QUERY_STRING"], kwargs.get("data"))) in sent:
                continue  # a field of dates only: its far values are fewer than the date-times
            sent.add(request)
            r = getattr(client, method)(url, **kwargs)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            is_json = r.headers.get("Content-Type", "").startswith("application/json")
            is_file = r.status_code == 200 and path.endswith(FILES)
            if r.status_code >= 500 or not (is_json or is_file):
                failures.append(f"{method.upper()} {url} {params} {far}: {r.status_code}")
    assert failures == []
    assert statuses.get(422, 0) > 50, statuses  # the far values reached the checks
    for url in ("/c/alpha/", "/c/alpha/duty/", "/c/alpha/duty/log/", "/api/centres/alpha/log.xlsx"):
        assert client.get(url).status_code == 200, url
