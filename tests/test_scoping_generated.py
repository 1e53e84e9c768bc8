"""ORG-3 for every endpoint, generated from the OpenAPI document and the URL configuration: a
record of one centre answers 404 to a person of another centre, on every path that names a
centre or an id, read or write, in the API and in the pages, and a refused write changes
nothing (the audit head stays where it was). A new endpoint is covered without a new test.

How the paths are filled: the centre is the demo's power centre (suwu), or where a path finds
nothing there, the demo's other centres in turn (the hotline centre's cases); an id parameter takes
the ids of the models whose name matches the path segment before it (``tickets/{pk}`` →
OperationTicket, WorkTicket …), and the first id that suwu's own administrator reaches (a
control request that is not 404, rolled back) is the one the other centre's administrator
must not reach: under suwu's code (404), and under their own centre's code, where it must
answer exactly as an id that exists nowhere (so a selector that forgets the centre shows).
A parameter that cannot be filled this way fails the test: add a value to
``route_values`` in tests/demo_world.py, only for parameters that are neither a centre nor an id.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLResolver, get_resolver

from zhiban.api import api as ninja_api
from zhiban.core.models import AuditHead
from zhiban.core.permissions import Role
from zhiban.org.models import Centre, Person

from . import demo_world
from .conftest import make_person

BACKEND = "django.contrib.auth.backends.ModelBackend"
PARAM = re.compile(r"{(\w+)}|<(?:(\w+):)?(\w+)>")
CANDIDATES_PER_MODEL = 8
MISSING_ID = 2**31 - 1  # an id no record has


@pytest.fixture
def demo(db):
    """The demo world (tests/demo_world.py); alpha is suwu, the other centre's person is an
    administrator of xinghu."""
    suwu, control = demo_world.load()
    stranger = make_person(Centre.objects.get(code="xinghu"), "stranger", Role.ADMIN)
    return suwu, control, stranger


def _client(person) -> Client:
    client = Client()
    client.force_login(person, backend=BACKEND)
    return client


def _audit_head():
    head = AuditHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else None


# --- filling the parameters -------------------------------------------------------------------


def _candidate_ids(model, centre, control, chosen: list) -> list[int]:
    """A few ids of the model: the centre's, the control person's, and rows under a record
    already chosen for an earlier parameter first."""
    rows = model._default_manager.all()
    preferred = Q()
    keys = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    if not any(f.related_model is Centre for f in keys):  # a row under a centre's record
        for above in keys:  # e.g. a handover item's handover
            to_centre = [
                g.name
                for g in above.related_model._meta.concrete_fields
                if isinstance(g, models.ForeignKey) and g.related_model is Centre
            ]
            if to_centre:
                rows = rows.filter(**{f"{above.name}__{to_centre[0]}": centre})
                break
    for field in keys:
        if field.related_model is Centre:
            rows = rows.filter(**{field.name: centre})
        elif any(f.name == "centre" for f in field.related_model._meta.concrete_fields):
            preferred |= Q(**{f"{field.name}__centre": centre})  # e.g. a handover's items
        elif field.related_model is Person:
            preferred |= Q(**{field.name: control})
        for earlier in chosen:
            if field.related_model is type(earlier):
                preferred |= Q(**{field.name: earlier})
    ids = []
    if preferred:
        ids += list(rows.filter(preferred).values_list("pk", flat=True)[:CANDIDATES_PER_MODEL])
    ids += [pk for pk in rows.values_list("pk", flat=True)[:CANDIDATES_PER_MODEL] if pk not in ids]
    return ids


def _fill(template: str, values: dict) -> str:
    return PARAM.sub(lambda m: str(values.get(m.group(1) or m.group(3), m.group(0))), template)


def _segment(template: str, name: str, values: dict) -> str:
    """The path word before the parameter, with the other parameters filled in."""
    head = re.split(r"{%s}|<(?:\w+:)?%s>" % (name, name), template)[0]  # noqa: UP031
    words = [w for w in _fill(head, values).split("/") if w and not PARAM.fullmatch(w)]
    return words[-1] if words else name


def _resolve(template, names, control_call, centres, control):
    """Values for every parameter such that the control person's request is not 404, or None.
    The centres are tried in turn: a customer-service path finds its records in the demo's
    hotline centre, a power path in suwu."""
    for centre in centres:
        for extra in demo_world.route_values().get(template, [{}]):
            values = {"code": centre.code, **extra} if "code" in names else dict(extra)
            found = _resolve_ids(
                template,
                [n for n in names if n not in values],
                values,
                [],
                control_call,
                centre,
                control,
            )
            if found is not None:
                return found
    return None


def _resolve_ids(template, ids, values, chosen, control_call, centre, control):
    if not ids:
        return values if control_call(_fill(template, values)) != 404 else None
    name, rest = ids[0], ids[1:]
    segment = _segment(template, name, values)
    for model in demo_world.models_named(segment) or demo_world.models_named(name):
        for pk in _candidate_ids(model, centre, control, chosen):
            earlier = [*chosen, model._default_manager.get(pk=pk)]
            found = _resolve_ids(
                template, rest, {**values, name: pk}, earlier, control_call, centre, control
            )
            if found is not None:
                return found
    return None


# --- request bodies from the OpenAPI document --------------------------------------------------


# Body fields that name records by id without saying which kind in their name: the example
# takes a real record of the centre (ids are not reset between tests on PostgreSQL, so "1" names
# nothing there). A new such field shows as an unresolved operation until it is added here.
BODY_IDS = {"first": "duty.RosterEntry", "second": "duty.RosterEntry", "ids": "alarms.Alarm"}


def body_ids(centre) -> dict[str, int]:
    """A record of the centre for each field of ``BODY_IDS``."""
    ids = {}
    for name, label in BODY_IDS.items():
        model = apps.get_model(label)
        scope = Q(centre=centre) if _has_field(model, "centre") else Q(shift__centre=centre)
        ids[name] = (
            model._default_manager.filter(scope).order_by("-pk").values_list("pk", flat=True)[0]
        )
    return ids


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _example(schema: dict, components: dict, ids: dict, name: str = ""):
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components, ids, name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], components, ids, name)
    if "default" in schema:
        return schema["default"]
    if "examples" in schema:  # a patterned text (e.g. a month, YYYY-MM) names its example
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            field: _example(properties[field], components, ids, field)
            for field in schema.get("required", [])
        }
    if kind == "array":
        item = _example(schema.get("items", {}), components, ids, name)
        return [item] * schema.get("minItems", 0)
    if kind == "integer" and name in ids:
        return ids[name]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return datetime.now().isoformat()
    if schema.get("format") == "date":
        return date.today().isoformat()
    return "x" * max(1, schema.get("minLength", 1))


def _request(client, path, *, method, operation, bodies, ids):
    """The operation's request with the smallest body its schema accepts."""
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        upload = SimpleUploadedFile("points.xlsx", b"not a workbook")
        return client.generic(method, path, **_multipart(upload))
    if "application/json" in content:
        body = _example(content["application/json"]["schema"], bodies, ids)
        return getattr(client, method)(path, data=body, content_type="application/json")
    return getattr(client, method)(path)


def _multipart(upload) -> dict:
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    boundary = "ScopingBoundary"
    return {
        "data": encode_multipart(boundary, {"file": upload, "version": "1"}),  # a version read
        "content_type": f"{MULTIPART_CONTENT[:19]}; boundary={boundary}",
    }


def _rolled_back(call):
    """A control request whose writes are undone."""
    savepoint = transaction.savepoint()
    try:
        return call()
    finally:
        transaction.savepoint_rollback(savepoint)


# --- the test -------------------------------------------------------------------------------------


def _variants(values: dict, own: str) -> list[tuple[dict, dict | None]]:
    """Alpha's values as they are (404 expected); and where the path has an id, alpha's ids
    under the other person's own centre, expected to answer as an id that exists nowhere."""
    if "code" not in values or not any(isinstance(v, int) for v in values.values()):
        return [(values, None)]
    moved = {**values, "code": own}
    missing = {k: MISSING_ID if isinstance(v, int) else v for k, v in moved.items()}
    return [(values, None), (moved, missing)]


def test_every_record_path_answers_404_to_another_centre__ORG_3(demo):
    centre, control, stranger = demo
    own = stranger.memberships.get().centre.code
    centres = [centre, *Centre.objects.exclude(code__in=[centre.code, own]).order_by("code")]
    mine, theirs = _client(control), _client(stranger)
    unresolved, leaks = [], []
    checked = 0

    def probe(label, send, path, baseline):
        """404, or under the person's own centre the answer a missing id gets: 404, or 403
        where their role in their own centre does not allow the page at all."""
        nonlocal checked
        expected = 404
        if baseline is not None:
            expected = _rolled_back(functools.partial(send, baseline)).status_code
            if expected not in {403, 404}:
                leaks.append(f"{label}: a missing id answers {expected}, not 404")
        head = _audit_head()
        r = send(path)
        checked += 1
        if r.status_code != expected or _audit_head() != head:
            leaks.append(f"{label}: {r.status_code}, expected {expected}")
        return r

    # the API, from its OpenAPI document
    document = ninja_api.get_openapi_schema()
    components = document["components"]["schemas"]
    ids = body_ids(centre)
    for template, operations in document["paths"].items():
        names = [m.group(1) for m in PARAM.finditer(template)]
        if not names:
            continue
        for method, operation in operations.items():
            call = functools.partial(
                _request, method=method, operation=operation, bodies=components, ids=ids
            )
            values = _resolve(
                template,
                names,
                lambda path, call=call: _rolled_back(lambda: call(mine, path).status_code),
                centres,
                control,
            )
            if values is None:
                unresolved.append(f"{method.upper()} {template}")
                continue
            for variant, missing in _variants(values, own):
                path = _fill(template, variant)
                baseline = missing and _fill(template, missing)
                r = probe(
                    f"{method.upper()} {path}", functools.partial(call, theirs), path, baseline
                )
                if r.status_code == 404 and r.json()["code"] != "not_found":
                    leaks.append(f"{method.upper()} {path}: not the JSON 404")

    # the pages, from the URL configuration
    for route in _html_routes(get_resolver().url_patterns):
        names = [m.group(3) for m in PARAM.finditer(route)]
        if not names:
            continue
        template = "/" + route
        values = _resolve(template, names, functools.partial(_page_control, mine), centres, control)
        if values is None:
            unresolved.append(f"page {template}")
            continue
        answer = _rolled_back(functools.partial(mine.get, _fill(template, values)))
        methods = ["get", "post"] if answer.status_code != 405 else ["post"]
        for variant, missing in _variants(values, own):
            path = _fill(template, variant)
            baseline = missing and _fill(template, missing)
            for method in methods:
                probe(f"page {method.upper()} {path}", getattr(theirs, method), path, baseline)

    assert unresolved == [], "\n".join(unresolved)
    assert leaks == [], "\n".join(leaks)
    assert checked > 400


def _page_control(client, path) -> int:
    """The control person's page: GET, or POST where the page takes only POST."""
    status = _rolled_back(lambda: client.get(path).status_code)
    return _rolled_back(lambda: client.post(path).status_code) if status == 405 else status


def _html_routes(patterns, prefix=""):
    """Every page route (the API is covered by its document above)."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("api/"):
                yield from _html_routes(entry.url_patterns, route)
        else:
            yield route
