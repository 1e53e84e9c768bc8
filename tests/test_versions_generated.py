"""DESIGN-1 (DESIGN.md, rule 1): every change to an existing record by a person names the
version it read. Generated from the OpenAPI document and the URL configuration, so every
present and future action on an id is covered: without ``version`` it is refused (422 on
``version`` naming DESIGN-1) and nothing changes.

The allow-lists name the actions on an id that take no version, each with why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import models
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from zhiban.api import api as ninja_api
from zhiban.core.actors import CLI, Source
from zhiban.core.models import AuditEvent, AuditHead
from zhiban.core.permissions import Role
from zhiban.org import services as org
from zhiban.org.models import Centre, Person

from . import demo_world

BACKEND = "django.contrib.auth.backends.ModelBackend"
RECORDS_PER_MODEL = 20

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
    "service_survey_question_add": "adds a question to the survey (CS-8); the campaign stays",
    "service_spot_check_create": "adds a spot check (CS-10), once per customer (409 after); "
    "the import stays as it is",
}

# Page actions on an id that take no version, for the same reasons as above.
PAGES_WITHOUT_VERSION = {
    "ops:act orders/question": API_WITHOUT_VERSION["order_question"],
    "ops:act tickets/note": API_WITHOUT_VERSION["ticket_note"],
    "work:act work/check": API_WITHOUT_VERSION["work_remote_check"],
    "duty:weather_confirm": API_WITHOUT_VERSION["weather_confirm"],
    "duty:log_correct": API_WITHOUT_VERSION["log_correct"],
    "alarms:alarm_ack": API_WITHOUT_VERSION["alarm_ack"],
    "core:notification_open": API_WITHOUT_VERSION["notification_read"],
    "core:outbox_retry": "a given-up message is retried once, guarded by its state; no version",
    "service:survey_questions": API_WITHOUT_VERSION["service_survey_question_add"],
    "service:spot_check": API_WITHOUT_VERSION["service_spot_check_create"],
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
    hour_ago = timezone.localtime() - timedelta(hours=1)  # in the window (ORG-4) on any day
    return {
        "date-time": hour_ago.isoformat(timespec="minutes"),
        "date": hour_ago.date().isoformat(),
        "time": "08:00",
    }.get(fmt, "x")


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
        multipart = "application/json" not in body_schema  # an upload: the version is a part
        schema = _schema(
            spec,
            body_schema["application/json" if not multipart else "multipart/form-data"]["schema"],
        )
        assert "version" in schema.get("required", []), f"{name}: version is not required"
        body = {
            key: _value(spec, prop)
            for key, prop in schema.get("properties", {}).items()
            if key != "version" and key in schema.get("required", [])
        }
        url = path.removeprefix("/api").replace("{code}", "alpha").replace("{pk}", "1")
        url = url.replace("{check}", "1")
        events = AuditEvent.objects.count()
        r = client.client.post(f"/api{url}", {}) if multipart else client._call(method, url, body)
        assert r.status_code == 422, (name, r.status_code, r.content[:300])
        answer = r.json()
        assert answer["rule"] == "DESIGN-1", (name, answer)
        assert "DESIGN-1" in answer["fields"]["version"][0], (name, answer)
        assert AuditEvent.objects.count() == events, f"{name} changed something"
        checked += 1
    assert checked > 40  # the walk found the API's actions
    assert listed == set(API_WITHOUT_VERSION), "allow-list names an action that is gone"


# --- the pages ------------------------------------------------------------------------------------


@dataclass
class Form:
    """A form as a browser submits it: its target path and its controls' names and values."""

    action: str
    method: str
    data: list = field(default_factory=list)
    pressed: bool = False  # the first submit button's name and value are in


def _plausible(kind: str, attrs: dict) -> str:
    """A value for a required control the page leaves empty."""
    now = timezone.localtime()
    return {
        "number": attrs.get("min") or "1",
        "datetime-local": now.strftime("%Y-%m-%dT%H:%M"),
        "date": now.date().isoformat(),
        "time": "08:00",
        "email": "duty@example.invalid",
        "url": "https://example.invalid/",
        "tel": "13800000000",
    }.get(kind, "已核对")


class _Forms(HTMLParser):
    """The POST forms of a page with the values a person submits unchanged: hidden inputs,
    defaults, the selected option (or the first), checked boxes and the first submit button;
    a required control left empty gets a plausible value."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.form = self.select = self.option = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self.form)
        elif self.form is None or ("name" not in a and tag != "option") or "disabled" in a:
            return
        elif tag == "input":
            self._input(a.get("type", "text").lower(), a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._press(a)
        elif tag == "select":
            self.select = {**a, "options": []}
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea":
            self.textarea = [a, ""]

    def _input(self, kind, a):
        if kind == "submit":
            self._press(a)
        elif kind in ("checkbox", "radio"):
            taken = any(name == a["name"] for name, _v in self.form.data)
            if "checked" in a or ("required" in a and not taken):
                self.form.data.append((a["name"], a.get("value", "on")))
        elif kind not in ("file", "reset", "button", "image"):
            value = a.get("value", "") or ("required" in a and _plausible(kind, a)) or ""
            self.form.data.append((a["name"], value))

    def _press(self, a):
        if not self.form.pressed and a.get("name"):
            self.form.data.append((a["name"], a.get("value", "")))
        self.form.pressed = True

    def handle_data(self, data):
        if self.option is not None:
            self.option[2] += data
        elif self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None:
            value, chosen, text = self.option
            self.select["options"].append((text.strip() if value is None else value, chosen))
            self.option = None
        elif tag == "select" and self.select is not None:
            self.form.data += [(self.select["name"], v) for v in self._chosen(self.select)]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            a, text = self.textarea
            self.form.data.append((a["name"], text.strip("\n") or ("required" in a and "已核对")))
            self.textarea = None

    @staticmethod
    def _chosen(select) -> list[str]:
        options = select["options"]
        chosen = [value for value, selected in options if selected]
        if chosen or "multiple" in select or not options:
            return chosen
        first = options[0][0]
        if not first and "required" in select:
            first = next((value for value, _s in options if value), first)
        return [first]


class Pages:
    """The pages the acting people see, read once each (a post without the version changes
    nothing, which the test checks, so a page read stays true)."""

    def __init__(self):
        self.clients: dict[int, Client] = {}
        self.read: dict[tuple[int, str], tuple[int, list[Form]]] = {}

    def client(self, person) -> Client:
        if person.pk not in self.clients:
            self.clients[person.pk] = Client()
            self.clients[person.pk].force_login(person, backend=BACKEND)
        return self.clients[person.pk]

    def get(self, person, path) -> tuple[int, list[Form]]:
        """The status of the page and its POST forms, each with its target path."""
        if (person.pk, path) not in self.read:
            r = self.client(person).get(path)
            forms = []
            if r.status_code == 200 and "html" in r.get("Content-Type", ""):
                parser = _Forms()
                parser.feed(r.content.decode())
                forms = [f for f in parser.forms if f.method == "post"]
                for f in forms:
                    f.action = urlsplit(urljoin(path, f.action or path)).path
            self.read[(person.pk, path)] = (r.status_code, forms)
        return self.read[(person.pk, path)]

    def form_for(self, person, path) -> tuple[str, Form | None]:
        """How the person reaches the action at ``path``: ``"form"`` with the form that posts
        to it (on its own page, or on a page above it: the record, its list, the area, the
        centre's console), ``"read"`` for a page with nothing to post, ``""`` if the person
        cannot act on this record now."""
        status, forms = self.get(person, path)
        if status == 200:
            own = next((f for f in forms if f.action == path), None)
            return ("form", own) if own else ("read", None)
        if status not in (302, 405):
            return "", None
        parts = path.strip("/").split("/")
        for end in range(len(parts) - 1, 1, -1):
            above = "/" + "/".join(parts[:end]) + "/"
            found = next((f for f in self.get(person, above)[1] if f.action == path), None)
            if found:
                return "form", found
        return "", None


def _pk_routes():
    """(url name, route) of every page under an id."""

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("api/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern) and p.name:
                yield f"{namespace}:{p.name}", "/" + prefix + str(p.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def _records(route: str) -> list[tuple[str, int]]:
    """(centre code, id) of the records the path's id may name, the last changed first (the
    demo world moves records on to the states the actions need)."""
    segment = [w for w in route.split("<int:pk>")[0].split("/") if w][-1]
    found = []
    for model in demo_world.models_named(segment):
        latest = "-updated_at" if hasattr(model, "updated_at") else "-pk"
        rows = model._default_manager.order_by(latest, "-pk")
        to_centre = _to_centre(model) or ("memberships__centre" if model is Person else "")
        if to_centre:
            found += rows.values_list(f"{to_centre}__code", "pk")[:RECORDS_PER_MODEL]
        else:
            found += [
                (demo_world.CENTRE, pk)
                for pk in rows.values_list("pk", flat=True)[:RECORDS_PER_MODEL]
            ]
    return found


def _to_centre(model, hops: int = 2) -> str:
    """The lookup from a record to its centre: its own foreign key to the centre, or that of
    the record it belongs to (a roster entry's shift); "" if none."""
    keys = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    direct = next((f.name for f in keys if f.related_model is Centre), "")
    if direct or hops == 1:
        return direct
    for key in keys:
        above = _to_centre(key.related_model, hops - 1)
        if above:
            return f"{key.name}__{above}"
    return ""


def _people(code: str, admin) -> list:
    """Who may act in the centre: its (platform) administrator first, then its people."""
    people = Person.objects.filter(memberships__centre__code=code, is_active=True)
    people = people.exclude(memberships__role=Role.GATEWAY).exclude(pk=admin.pk)
    return [admin, *people.distinct().order_by("pk")]


def _action(pages, route, extra, admin):
    """(person, path, form) for the first record someone may act on, ("read", path) for a
    page with nothing to post, or None."""
    for code, pk in _records(_fill(route, {**extra, "code": "<code>", "pk": "<int:pk>"})):
        path = _fill(route, {**extra, "code": code, "pk": pk})
        record = path[: path.index(f"/{pk}/") + len(f"/{pk}/")]
        for person in _people(code, admin):
            how, form = pages.form_for(person, path)
            if how == "form":
                return person, path, form
            if how == "read":
                return "read", path, None
            if person is admin and _not_found(pages, admin, [path, record]):
                break  # an id of another kind: what the administrator cannot find, nobody can
    return None


def _not_found(pages, admin, paths) -> bool:
    """The platform administrator gets 404 on one of the paths that is a page."""
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            continue
        if pages.get(admin, path)[0] == 404:
            return True
    return False


def _fill(route: str, values: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def _audit_head():
    head = AuditHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else None


@pytest.fixture
def demo(db):
    return demo_world.load()


def test_every_page_action_refuses_a_missing_version__DESIGN_1(demo):
    """Every page action on an id, on a real record in a state where the acting person is
    offered it (the demo world, tests/demo_world.py), posted with the values of its own form
    minus ``version``: 422 naming DESIGN-1, and nothing changes. The form must carry the
    version it read. A page under an id with nothing to post changes nothing when posted."""
    _centre, admin = demo
    pages = Pages()
    unresolved, refused, listed = [], [], set()
    for name, route in _pk_routes():
        for extra in demo_world.route_values().get(route, [{}]):
            label = " ".join([name, "/".join(extra.values())]).strip()
            if label in PAGES_WITHOUT_VERSION:
                listed.add(label)
                continue
            found = _action(pages, route, extra, admin)
            if found is None:
                unresolved.append(label)
                continue
            person, path, form = found
            head = _audit_head()
            if person == "read":
                pages.client(admin).post(path, {"next": "/"})
                assert _audit_head() == head, f"{label}: a post to {path} changed a record"
                continue
            data = [(k, v) for k, v in form.data if k != "version"]
            assert len(data) < len(form.data), f"{label}: the form to {path} sends no version"
            r = pages.client(person).post(path, _as_query(data))
            assert r.status_code == 422, (label, path, r.status_code, r.content[:300])
            assert b"DESIGN-1" in r.content, (label, path)
            assert _audit_head() == head, f"{label}: {path} changed a record"
            refused.append(label)
    assert not unresolved, "no record in the demo world offers: " + ", ".join(unresolved)
    assert listed == set(PAGES_WITHOUT_VERSION), "allow-list names an action that is gone"
    assert len(refused) > 50


def _as_query(data) -> dict:
    query: dict = {}
    for key, value in data:
        query.setdefault(key, []).append(value)
    return query
