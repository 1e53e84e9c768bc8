"""Login, language, the console shell and the security basics."""

from django.conf import settings
from django.test import Client

from ..clock import ago
from ..conftest import PASSWORD


def login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def test_pages_are_in_chinese_by_default_even_for_an_english_browser(world):
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    html = client.get("/login/").content.decode()
    assert 'lang="zh-Hans"' in html and "登录" in html


def test_language_switch_sticks_across_logins(world):
    client = Client()
    assert login(client, "chief_a").status_code == 302
    r = client.post("/language/", {"language": "en", "next": "/c/alpha/"})
    assert r.status_code == 302 and r["Location"] == "/c/alpha/"
    assert 'lang="en"' in client.get("/c/alpha/").content.decode()
    client.post("/logout/")
    fresh = Client()  # another browser: the choice is kept on the person
    login(fresh, "chief_a")
    html = fresh.get("/c/alpha/").content.decode()
    assert 'lang="en"' in html and "Console" in html


def test_language_chosen_on_the_login_page_is_kept(world):
    client = Client()
    client.post("/language/", {"language": "en", "next": "/login/"})
    assert 'lang="en"' in client.get("/login/").content.decode()
    login(client, "field_a")
    assert 'lang="en"' in client.get("/c/alpha/").content.decode()


def test_language_switch_refuses_foreign_redirects(world):
    r = Client().post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_login_locks_out_after_repeated_failures(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "chief_a", "wrong").status_code == 200
    assert login(client, "chief_a", "wrong").status_code == 429
    locked = login(client, "chief_a")  # even the right password is refused now
    assert locked.status_code == 429
    assert 'data-testid="lockout"' in locked.content.decode()
    assert login(Client(), "deputy_a").status_code == 302  # others are not affected


def test_forms_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["admin_a"], backend="django.contrib.auth.backends.ModelBackend")
    r = client.post("/c/alpha/org/sites/new/", {"code": "Z", "name": "Z", "kind": "area"})
    assert r.status_code == 403
    api = client.post(
        "/api/centres/alpha/sites",
        data='{"code":"Z","name":"Z","kind":"area"}',
        content_type="application/json",
    )
    assert api.status_code == 403


def test_security_headers_are_sent(world, web):
    r = web(world.people["chief_a"]).get("/c/alpha/")
    assert "default-src 'self'" in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


def test_sessions_time_out_when_idle_and_activity_keeps_them(world):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60 and settings.SESSION_COOKIE_HTTPONLY
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        login(client, "chief_a")
        assert client.get("/c/alpha/").status_code == 200
    with time_machine.travel(start + timedelta(hours=11), tick=False):
        assert client.get("/c/alpha/").status_code == 200  # active: the clock restarts
    with time_machine.travel(start + timedelta(hours=22), tick=False):
        assert client.get("/c/alpha/").status_code == 200
    with time_machine.travel(start + timedelta(hours=35), tick=False):
        r = client.get("/c/alpha/")  # 13 hours idle: logged out
        assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_pages_need_a_login(world):
    r = Client().get("/c/alpha/org/sites/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert Client().get("/api/centres").status_code == 401


def test_console_shell_has_centre_clock_bell_and_navigation(world, web):
    html = web(world.people["chief_a"]).get("/c/alpha/").content.decode()
    for marker in (
        'data-testid="centre-switcher"',
        'data-tz="Asia/Shanghai"',
        'data-testid="bell"',
        'data-testid="nav"',
        'data-testid="language-switch"',
    ):
        assert marker in html
    assert "/c/alpha/org/" in html and "/c/alpha/phone/" in html


def test_navigation_follows_the_centre_kind(world, web):
    power = web(world.people["chief_a"]).get("/c/alpha/").content.decode()
    security = web(world.people["guard_b"]).get("/c/beta/").content.decode()
    nav = lambda html: html.split('data-testid="nav"')[1].split("</ul>")[0]  # noqa: E731
    assert "ti-list-check" in nav(power) and "ti-list-check" not in nav(security)
    assert "ti-notebook" in nav(security) and "ti-notebook" not in nav(power)


def test_home_goes_to_the_persons_centre(world):
    client = Client()
    login(client, "guard_b")
    assert client.get("/").headers["Location"] == "/c/beta/"


def test_api_tokens_authenticate_integrations_until_revoked(world, api):
    person = api(world.people["chief_a"])
    created = person.post("/tokens", {"name": "SCADA 网关"})
    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith("zb_")
    tokens = person.get("/tokens").json()
    assert "token" not in tokens[0] and tokens[0]["prefix"] == raw[:10]
    bearer = Client(headers={"authorization": f"Bearer {raw}"})
    assert bearer.get("/api/centres/alpha/sites").status_code == 200
    assert bearer.get("/api/centres/beta/sites").status_code == 404  # scoped like the person
    posted = bearer.post(
        "/api/centres/alpha/phone-contacts",
        content_type="application/json",
        data={
            "direction": "incoming",
            "at": ago(hours=1),
            "our_person": world.people["chief_a"].pk,
            "party_name": "网关",
            "subject": "自动记录",
        },
    )
    assert posted.status_code == 201  # no CSRF for token calls
    person.post(f"/tokens/{created.json()['id']}/revoke")
    assert bearer.get("/api/centres/alpha/sites").status_code == 401
    assert (
        Client(headers={"authorization": "Bearer zb_nonsense"}).get("/api/centres").status_code
        == 401
    )
