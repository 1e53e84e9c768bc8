"""API errors are JSON with a machine code and a message; bad input is 422 per field; an
unknown centre is 404; no input gives a 500."""

import json

from django.test import Client

from ..clock import ago

BACKEND = "django.contrib.auth.backends.ModelBackend"


def test_malformed_json_is_422(world, web):
    client = web(world.people["admin_a"])
    r = client.post("/api/centres/alpha/sites", data="{not json", content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] == "invalid"


def test_missing_and_wrongly_typed_fields_are_named(world, api):
    r = api(world.people["admin_a"]).post(
        "/centres/alpha/equipment", {"site": "station-one", "active": "perhaps"}
    )
    assert r.status_code == 422
    assert {"site", "kind", "name"} <= set(r.json()["fields"])


def test_patch_needs_the_version_it_read(world, api):
    r = api(world.people["admin_a"]).patch(
        f"/centres/alpha/sites/{world.sites['station'].pk}", {"name": "无版本"}
    )
    assert r.status_code == 422 and "version" in r.json()["fields"]


def test_out_of_range_ids_and_paging_are_422_or_404_not_500(world, api):
    client = api(world.people["admin_a"])
    assert client.get("/centres/alpha/sites/99999999999999999999999").status_code == 422
    assert client.get("/centres/alpha/sites/9223372036854775807").status_code == 404
    assert client.get("/centres/alpha/sites?limit=100000").status_code == 422
    assert client.get("/centres/alpha/equipment?site=99999999999999999999").status_code == 422


def test_nul_characters_are_refused_not_crashing(world, api):
    r = api(world.people["admin_a"]).post(
        "/centres/alpha/sites", {"code": "N\x00", "name": "a\x00b", "kind": "area"}
    )
    assert r.status_code == 422 and {"code", "name"} <= set(r.json()["fields"])
    r = api(world.people["admin_a"]).get("/centres/alpha/sites?q=%00")
    assert r.status_code in (200, 422)


def test_unknown_centre_is_404_json(world, api):
    r = api(world.people["admin_a"]).get("/centres/no-such-centre/sites")
    assert r.status_code == 404
    assert (
        json.loads(r.content)
        == {"code": "not_found", "message": "Not found. (ORG-3)", "rule": "ORG-3", "fields": {}}
        or r.json()["code"] == "not_found"
    )


def test_openapi_document_is_served(world, web):
    client = web(world.people["admin_a"])
    spec = client.get("/api/openapi.json").json()
    assert "/api/centres/{code}/sites" in spec["paths"]
    assert client.get("/api/docs").status_code == 200


# --- the API's doors: 401, 415, 429 (issue 10, item 10) --------------------------------------

PHONE = {
    "direction": "incoming",
    "at": ago(hours=1),
    "party_name": "网关",
    "subject": "自动记录",
}


def _token(api, person, **extra) -> str:
    created = api(person).post("/tokens", {"name": "集成", **extra})
    assert created.status_code == 201, created.content
    return created.json()["token"]


def test_a_post_without_a_valid_token_or_session_is_401_json__ORG_3(world):
    """Neither a token nor a session vouches for it: 401 (not the CSRF check's 403)."""
    body = {**PHONE, "our_person": world.people["chief_a"].pk}
    for headers in ({}, {"authorization": "Bearer zb_nonsense"}):
        r = Client(headers=headers).post(
            "/api/centres/alpha/phone-contacts", body, content_type="application/json"
        )
        assert r.status_code == 401 and r.json()["code"] == "unauthenticated", r.content
        assert "令牌" in r.json()["message"]  # in the default language, zh-Hans


def test_a_session_post_without_the_csrf_token_stays_403__ORG_3(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["chief_a"], backend=BACKEND)
    body = {**PHONE, "our_person": world.people["chief_a"].pk}
    r = client.post("/api/centres/alpha/phone-contacts", body, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "forbidden", r.content


def test_json_under_another_content_type_is_415(world, api):
    chief = world.people["chief_a"]
    body = json.dumps({**PHONE, "our_person": chief.pk})
    r = api(chief).client.post(
        "/api/centres/alpha/phone-contacts", data=body, content_type="text/plain"
    )
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type", r.content
    assert api(chief).get("/centres/alpha/phone-contacts").json()["count"] == 0
    r = api(chief).client.post(
        "/api/centres/alpha/phone-contacts",
        data=body,
        content_type="application/json; charset=utf-8",
    )
    assert r.status_code == 201, r.content


def test_token_requests_are_throttled_per_token_with_429_json(world, api, settings):
    """ZHIBAN_API_TOKEN_RATE per token (django-ninja's throttling); a session is not counted."""
    settings.ZHIBAN_API_TOKEN_RATE = "3/d"  # a day: the test does not cross into another
    chief = world.people["chief_a"]
    first, second = _token(api, chief), _token(api, chief)
    bearer = Client(headers={"authorization": f"Bearer {first}"})
    assert [bearer.get("/api/me").status_code for _ in range(3)] == [200] * 3
    r = bearer.get("/api/me")
    assert r.status_code == 429 and r.json()["code"] == "throttled", r.content
    assert int(r.headers["Retry-After"]) >= 1 and r.json()["message"]
    assert Client(headers={"authorization": f"Bearer {second}"}).get("/api/me").status_code == 200
    assert [api(chief).get("/me").status_code for _ in range(5)] == [200] * 5


def test_a_token_names_only_sources_its_person_may_send_for__INC_1_ORG_3(world, api, web):
    """A token is given the alarm sources of the centres where its person may send events
    (API and profile page); another centre's source is refused naming ORG-3."""
    from zhiban.alarms import services as alarms
    from zhiban.core.actors import CLI, Source
    from zhiban.org.models import ApiToken

    for centre, code in ((world.alpha, "alpha-scada"), (world.beta, "beta-fire")):
        alarms.alarm_source_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={"code": code, "name": code, "kind": "scada", "active": True},
        )
    admin = world.people["admin_a"]
    r = api(admin).post("/tokens", {"name": "网关", "sources": ["beta-fire"]})
    assert r.status_code == 422 and "ORG-3" in r.json()["fields"]["sources"][0], r.content
    r = api(admin).post("/tokens", {"name": "网关", "sources": ["alpha-scada"]})
    assert r.status_code == 201 and r.json()["sources"] == ["alpha-scada"], r.content
    page = web(admin).get("/me/").content.decode()
    assert 'value="alpha-scada"' in page and 'value="beta-fire"' not in page
    web(admin).post("/me/", {"name": "页面网关", "sources": ["alpha-scada"]})
    made = ApiToken.objects.get(name="页面网关")
    assert [s.code for s in made.sources.all()] == ["alpha-scada"]


def _is_error_json(r, status, code):
    assert r.status_code == status
    assert r["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"code", "message", "rule", "fields"}
    assert body["code"] == code and body["message"]
    return body


def test_an_unknown_api_path_is_404_json__DESIGN_4(world, api):
    """Not Django's HTML page: every /api/ path answers JSON (issue 10 item 4)."""
    _is_error_json(api(world.people["admin_a"]).get("/no-such-endpoint"), 404, "not_found")
    _is_error_json(Client().get("/api/centres/alpha/nothing/here"), 404, "not_found")


def test_a_method_the_path_does_not_take_is_405_json__DESIGN_4(world, web):
    r = web(world.people["admin_a"]).delete("/api/centres/alpha/sites")
    body = _is_error_json(r, 405, "method_not_allowed")
    assert body["message"] == "此地址不接受该请求方法。"
    assert set(r["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_an_uncaught_fault_is_a_logged_500_json__DESIGN_4(world, api, monkeypatch, caplog):
    """A fault nobody foresaw still answers JSON, and is logged with the request id."""

    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("zhiban.core.scoping.centre_get", broken)
    r = api(world.people["admin_a"]).get(
        "/centres/alpha/sites", headers={"X-Request-ID": "req-500-test"}
    )
    body = _is_error_json(r, 500, "server_error")
    assert "disk on fire" not in body["message"]
    assert any("req-500-test" in m and "RuntimeError" in m for m in caplog.messages)


def test_a_body_larger_than_the_server_accepts_is_400_json_not_500__DESIGN_4(
    world, api, settings, caplog
):
    """Django's own refusal of the request (RequestDataTooBig) stays a 400, answered as JSON
    in the reader's language, not a logged server fault (issue 10 review)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    chief = world.people["chief_a"]
    r = api(chief).client.post(
        "/api/centres/alpha/log",
        data=json.dumps({"text": "长" * 1000}),
        content_type="application/json",
    )
    body = _is_error_json(r, 400, "bad_request")
    assert body["message"] == "无法读取该请求：格式有误或超过服务器接受的大小。"
    assert not any("uncaught" in m for m in caplog.messages)


def test_too_many_query_fields_is_400_json_not_500__DESIGN_4(world, api, settings):
    """TooManyFieldsSent (a SuspiciousOperation) on a read is Django's 400, as JSON."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    query = "&".join(f"f{i}=1" for i in range(20))
    r = api(world.people["admin_a"]).get(f"/centres/alpha/sites?{query}")
    _is_error_json(r, 400, "bad_request")
