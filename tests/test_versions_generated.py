"""DESIGN-1 (DESIGN.md, rule 1): every change to an existing record by a person names the
version it read. Generated from the OpenAPI document and the URL configuration, so every
present and future action on an id is covered: without ``version`` it is refused (422 on
``version`` naming DESIGN-1) and nothing changes.

The allow-lists name the actions on an id that take no version, each with why."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from zhiban.api import api as ninja_api
from zhiban.core.actors import CLI, Source
from zhiban.core.models import AuditEvent
from zhiban.org import services as org

# API operations on an id that take no version: each adds a record of its own under the id
# and leaves the record itself as it is, or is guarded another way.
API_WITHOUT_VERSION = {
    "order_question": "adds a question (OPS-2); the order stays as it is",
    "ticket_note": "adds an anomaly note (OPS-8); the ticket stays as it is",
    "work_remote_check": "adds check rows (WORK-4); the work ticket stays as it is",
    "weather_confirm": "the leader's own confirmation, once (DUTY-9); the weather record stays",
    "log_correct": "adds a correcting entry to the append-only log (DUTY-8)",
    "log_edit_refused": "always refused: the duty log is append-only (DUTY-8)",
    "alarm_ack": "guarded by the state: a second person is refused naming who acked (INC-2)",
    "notification_read": "one's own notification, once; it has no version",
    "token_revoke": "one's own API token, revoked once for good; it has no version",
}

# Page actions on an id that take no version, for the same reasons as above.
PAGES_WITHOUT_VERSION = {
    "ops:act orders/question": API_WITHOUT_VERSION["order_question"],
    "ops:act tickets/note": API_WITHOUT_VERSION["ticket_note"],
    "ops:act work/remote_check": API_WITHOUT_VERSION["work_remote_check"],
    "duty:weather_confirm": API_WITHOUT_VERSION["weather_confirm"],
    "duty:log_correct": API_WITHOUT_VERSION["log_correct"],
    "alarms:alarm_ack": API_WITHOUT_VERSION["alarm_ack"],
    "core:notification_open": API_WITHOUT_VERSION["notification_read"],
    "core:outbox_retry": "a given-up message is retried once, guarded by its state; no version",
}

WRITES = ("post", "patch", "put", "delete")


def _schema(spec, schema):
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.split("/")[-1]] if ref else schema


def _value(spec, prop):
    """A plausible value of a JSON-schema property (the request only has to get past the
    parts of the body that are not the version)."""
    prop = _schema(spec, prop)
    if "anyOf" in prop:
        return _value(spec, next(p for p in prop["anyOf"] if p.get("type") != "null"))
    if "enum" in prop:
        return prop["enum"][0]
    kind, fmt = prop.get("type"), prop.get("format", "")
    if kind == "integer":
        return max(1, prop.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return [_value(spec, prop.get("items", {}))]
    if kind == "object":
        return {}
    return {"date-time": "2026-11-27T08:00:00+08:00", "date": "2026-11-27", "time": "08:00"}.get(
        fmt, "x"
    )


def _api_writes_on_an_id():
    spec = ninja_api.get_openapi_schema()
    for path, operations in spec["paths"].items():
        if "{pk}" not in path:
            continue
        for method, operation in operations.items():
            if method in WRITES:
                yield spec, path, method, operation


@pytest.fixture
def platform_admin(world):
    """A person allowed every action everywhere: only the version can refuse."""
    person = world.people["admin_a"]
    return org.person_grant_platform_admin(actor=CLI, source=Source.CLI, person_id=person.pk)


def test_every_api_change_on_an_id_refuses_a_missing_version__DESIGN_1(world, api, platform_admin):
    client = api(platform_admin)
    listed = set()
    checked = 0
    for spec, path, method, operation in _api_writes_on_an_id():
        name = operation["operationId"]
        if name in API_WITHOUT_VERSION:
            listed.add(name)
            continue
        body_schema = operation.get("requestBody", {}).get("content", {})
        assert body_schema, f"{method.upper()} {path} ({name}) takes no version at all"
        schema = _schema(spec, body_schema["application/json"]["schema"])
        assert "version" in schema.get("required", []), f"{name}: version is not required"
        body = {
            key: _value(spec, prop)
            for key, prop in schema.get("properties", {}).items()
            if key != "version" and key in schema.get("required", [])
        }
        url = path.removeprefix("/api").replace("{code}", "alpha").replace("{pk}", "1")
        url = url.replace("{check}", "1")
        events = AuditEvent.objects.count()
        r = client._call(method, url, body)
        assert r.status_code == 422, (name, r.status_code, r.content[:300])
        answer = r.json()
        assert answer["rule"] == "DESIGN-1", (name, answer)
        assert "DESIGN-1" in answer["fields"]["version"][0], (name, answer)
        assert AuditEvent.objects.count() == events, f"{name} changed something"
        checked += 1
    assert checked > 40  # the walk found the API's actions
    assert listed == set(API_WITHOUT_VERSION), "allow-list names an action that is gone"


def _web_routes():
    """(url name, route) of every page under an id that may take a POST."""

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("api/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern) and p.name:
                yield f"{namespace}:{p.name}", prefix + str(p.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def _urls(route: str, pk: int):
    """(url, what) of the route with the id filled in and each other part by every value it
    takes; ``what`` names the act where one route serves several."""
    from zhiban.duty.views import HANDOVER_ACTIONS, ITEM_ACTIONS
    from zhiban.ops.views import ACTS

    url = "/" + route.replace("<str:code>", "alpha").replace("<int:pk>", str(pk))
    if "<str:kind>" in url:
        for kind, acts in ACTS.items():
            for key in acts:
                yield url.replace("<str:kind>", kind).replace("<str:key>", key), f"{kind}/{key}"
    elif "<str:action>" in url:
        for action in [*HANDOVER_ACTIONS, *ITEM_ACTIONS]:
            yield url.replace("<str:action>", action), action
    elif "<str:" not in url:
        yield url, ""


def test_no_page_changes_a_record_without_its_version__DESIGN_1(world, web, platform_admin):
    """Each page under an id, posted without ``version`` for every id of the small world, as
    a person allowed everything: a page that changes a record answers 422 naming DESIGN-1
    and changes nothing; one that changes a record without it fails here."""
    client = web(platform_admin)
    refused = set()
    for name, route in _web_routes():
        for pk in range(1, 6):
            for url, what in _urls(route, pk):
                events = AuditEvent.objects.count()
                r = client.post(url, {"next": "/"})
                if r.status_code == 422 and b"DESIGN-1" in r.content:
                    refused.add(name)
                if name in PAGES_WITHOUT_VERSION or f"{name} {what}" in PAGES_WITHOUT_VERSION:
                    continue
                assert AuditEvent.objects.count() == events, f"{url} ({name}) changed a record"
    # the world's records reach at least every edit page of its kinds
    assert {"org:team_edit", "org:site_edit", "org:person_edit", "org:membership_edit"} <= refused
    names = {name for name, _route in _web_routes()}
    assert {listed.split(" ")[0] for listed in PAGES_WITHOUT_VERSION} <= names
