"""The OpenAPI document (/api/openapi.json) is true (DESIGN-4, issue 11 item 8):

- every operation documents the error answers it can give, as ``ErrorOut``
  (``{"code", "message", "rule", "fields"}``), generated in ``core/openapi.py``;
- every component name is one model's: ninja merges the schemas of two models of the same
  name silently, so one operation's answer would be described by another's schema;
- what the API answers conforms to it: schemathesis sends generated requests for every
  operation as the demo's administrator with a token, inside the test's transaction, and
  checks that the status is documented, the body matches its schema and nothing is a 500.
"""

from __future__ import annotations

import enum
import re
import typing

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja.constants import NOT_SET
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zhiban.api import api as ninja_api
from zhiban.core.actors import Source
from zhiban.core.notify import notify
from zhiban.org import services as org
from zhiban.org.models import ApiToken

from . import demo_world

ERROR_FIELDS = {"code", "message", "rule", "fields"}
WRITES = {"post", "put", "patch", "delete"}
EXAMPLES_PER_OPERATION = 3
PARAM = re.compile(r"{(\w+)}")
# work/api.py (split from ops, issue 11 item 2) keeps its own copy of core.api's VersionIn,
# the same shape; when it takes core.api's, this goes.
SHARED_FOR_NOW = {"VersionIn": {"zhiban.core.api", "zhiban.work.api"}}


def _operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_documents_its_error_answers__DESIGN_4(client):
    """401/403/429 everywhere; 422 where it takes input; 404 where the path or body names a
    record; a change also 409, and with a JSON body 415 and 400 — each as ErrorOut."""
    spec = client.get("/api/openapi.json").json()
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == ERROR_FIELDS == set(error["properties"])
    missing = []
    for path, method, operation in _operations(spec):
        body = "application/json" in operation.get("requestBody", {}).get("content", {})
        expected = {401, 403, 429}
        if operation["parameters"] or "requestBody" in operation:
            expected.add(422)
        if "{" in path or "requestBody" in operation:
            expected.add(404)
        if method in WRITES:
            expected.add(409)
        if body:
            expected |= {400, 415}
        responses = operation["responses"]
        for status in sorted(expected):
            schema = responses.get(str(status), {}).get("content", {}).get("application/json")
            if schema != {"schema": {"$ref": "#/components/schemas/ErrorOut"}}:
                missing.append(f"{method.upper()} {path} {status}")
    assert len(list(_operations(spec))) > 200
    assert missing == []


# --- one model per component name -------------------------------------------------------------


def _bound_operations():
    for router in ninja_api._get_bound_routers():
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _roots():
    """Each operation's parameter and body models (validation) and answers (serialization)."""
    for operation in _bound_operations():
        for model in operation.models:
            yield model, "validation"
        for model in operation.response_models.values():
            if model not in (None, NOT_SET):
                yield model, "serialization"


def _named(annotation, found: dict, seen: set) -> None:
    """The models and enumerations reachable from an annotation, by the name the document
    gives them."""
    if isinstance(annotation, type) and issubclass(annotation, (BaseModel, enum.Enum)):
        found.setdefault(annotation.__name__, set()).add(annotation)
        if annotation in seen or not issubclass(annotation, BaseModel):
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _named(field.annotation, found, seen)
        return
    for argument in typing.get_args(annotation):
        _named(argument, found, seen)


def test_no_two_models_share_a_component_name(client):
    """Ticket steps were once typed as the incident's StepOut and read-all's CountOut
    described roster copying's answer: each name in the document is one model's, and the
    document shows each as the model itself describes it, for input and for answers."""
    found: dict[str, set] = {}
    seen: set = set()
    for root, _mode in _roots():
        for field in root.model_fields.values():  # the roots are ninja's wrappers
            _named(field.annotation, found, seen)
    shared = {name: {m.__module__ for m in models} for name, models in found.items()}
    shared = {name: modules for name, modules in shared.items() if len(modules) > 1}
    assert {n: m for n, m in shared.items() if SHARED_FOR_NOW.get(n) != m} == {}

    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    wrong = set()
    for root, mode in _roots():
        own = root.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode=mode
        )
        for name, schema in own.get("$defs", {}).items():
            if components.get(name) != schema:
                wrong.add(f"{name} ({mode}, {root.__name__})")
    assert sorted(wrong) == []


def test_read_all_answers_what_the_document_says(db, world, api, client):
    """POST /notifications/read-all answers the keys its documented schema names."""
    person = world.people["chief_a"]
    notify(actor=person, source=Source.CLI, people=[person], centre=world.alpha, title="台风预警")
    answer = api(person).post("/notifications/read-all")
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/notifications/read-all"]["post"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    documented = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert answer.status_code == 200
    assert set(answer.json()) == set(documented["properties"]) == set(documented["required"])
    assert answer.json()["count"] == 1


# --- schemathesis: the answers conform --------------------------------------------------------


def _real_values(path: str, route_values: dict, kept: dict) -> dict[str, list]:
    """Path parameters that reach records: the demo's power centre, a few ids of the models
    the segment before an id names (the centre's), and the named values of
    tests/demo_world.py; the generated value stays one choice in each. ``kept`` names rows
    no request may reach (the test's own token: revoked, every later answer is a 401)."""
    values: dict[str, list] = {}
    segments = path.split("/")
    for name in PARAM.findall(path):
        if name == "code":
            values[name] = [demo_world.CENTRE]
            continue
        named = [row[name] for row in route_values.get(path, []) if name in row]
        if named:
            values[name] = named
            continue
        segment = segments[segments.index("{" + name + "}") - 1]
        ids: list[int] = []
        for model in demo_world.models_named(segment)[:3]:
            rows = model._default_manager.exclude(pk__in=kept.get(model, ())).order_by("-pk")
            if any(f.name == "centre" for f in model._meta.get_fields()):
                rows = rows.filter(centre__code=demo_world.CENTRE)
            ids += rows.values_list("pk", flat=True)[:3]
        values[name] = ids
    return {name: found for name, found in values.items() if found}


@pytest.fixture
def app():
    """Django's WSGI application, keeping the test's database connection (and transaction)
    between requests as Django's test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def demo_token(db, settings):
    """The demo world and a personal token of its administrator (the platform's too), and a
    second one the token operations may revoke."""
    settings.ZHIBAN_API_TOKEN_RATE = "100000/s"  # 429 is documented; here it would hide answers
    _suwu, admin = demo_world.load()
    by = {"actor": admin, "source": Source.CLI, "sources": ()}
    org.api_token_create(**by, name="spare")
    return org.api_token_create(**by, name="openapi")


def test_every_answer_conforms_to_the_document__DESIGN_4(app, demo_token):
    """Every operation, a few generated requests each: the status is documented, the body
    matches its schema, the content type is the documented one, and no answer is a 500.
    No operation is left out. The requests run in the test's transaction."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 200
    route_values = demo_world.route_values()
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    token, raw = demo_token
    headers = {"Authorization": f"Bearer {raw}"}
    kept = {ApiToken: {token.pk}}
    failures, statuses = [], {}
    for operation in operations:
        real = _real_values(operation.path, route_values, kept)
        picks = st.fixed_dictionaries(
            {name: st.sampled_from([*found, None]) for name, found in real.items()}
        )

        @given(case=operation.as_strategy(), pick=picks)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case, pick):
            for name, value in pick.items():
                if value is not None:
                    case.path_parameters[name] = value
            response = case.call_and_validate(headers=headers, checks=checks)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        try:
            check()
        except (Exception, FailureGroup) as error:  # noqa: BLE001 — collect every operation's
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert failures == []
    assert statuses.get(200, 0) > 150 and statuses.get(404, 0) > 50, sorted(statuses.items())
    assert statuses.get(401) is None, "the test's token was revoked or its person changed"
