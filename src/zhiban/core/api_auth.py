"""How the API lets a request in (shared by Django's ninja and the grouped gateways of
``core/grouped_gateway.py``: ``POST /api/events`` and ``POST /api/service/calls``).

- Authentication: the browser's session (with CSRF) or a personal token (``Authorization:
  Bearer zb_…``: ``TokenAuth`` in ``org/tokens.py``, where tokens are — ADR 0013; its sources
  limit what it may post; INC-1, ORG-3). A request with neither is 401; a session without its
  CSRF token is 403. The throttle counts ``request.credential``, whichever door set it.
- Throttling per token with ninja's throttling (``ZHIBAN_API_TOKEN_RATE``): 429.
- A JSON body under a content type that is not JSON: 415.
"""

from types import SimpleNamespace

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.parser import Parser
from ninja.security import APIKeyCookie
from ninja.throttling import AuthRateThrottle


def too_many_requests() -> dict:
    """The 429 answer, on every path (also the grouped ``POST /api/events``)."""
    message = _("Too many requests with this token; send again in a moment.")
    return {"code": "throttled", "message": message, "rule": None, "fields": {}}


def unauthenticated(request) -> dict:
    """The 401 answer: neither a valid token nor a login session. Nobody is known, so it is
    in the caller's language: the language cookie, else ``Accept-Language``, else zh-Hans."""
    with translation.override(translation.get_language_from_request(request)):
        message = _("Sign in, or send a valid token (Authorization: Bearer zb_…).")
    return {"code": "unauthenticated", "message": message, "rule": None, "fields": {}}


def unsupported_media_type() -> dict:
    message = _("Send JSON with the content type application/json.")
    return {"code": "unsupported_media_type", "message": message, "rule": None, "fields": {}}


def is_json(content_type: str) -> bool:
    """A JSON content type (``application/json``, ``application/…+json``), or none given."""
    kind = content_type.partition(";")[0].strip().lower()
    return kind in ("", "application/json") or (
        kind.startswith("application/") and kind.endswith("+json")
    )


class UnsupportedMediaType(Exception):
    pass


class JsonParser(Parser):
    """A JSON body only under a JSON content type: 415 otherwise."""

    def parse_body(self, request):
        if not is_json(request.content_type or ""):
            raise UnsupportedMediaType(request.content_type)
        return super().parse_body(request)


class TokenThrottle(AuthRateThrottle):
    """Requests per API token, with ninja's throttling (its rates, cache and 429 with
    Retry-After); the rate (``ZHIBAN_API_TOKEN_RATE``) is read on each request. Counted in
    one cache counter per token and period instead of ninja's list of request times, whose
    reading and writing grows with the rate (ADR 0010). A browser session is not counted."""

    scope = "token"

    def __init__(self):
        super().__init__(settings.ZHIBAN_API_TOKEN_RATE)

    def allow_request(self, request) -> bool:
        return self.allowed(request, 1) == 1

    def allowed(self, request, requests: int) -> int:
        """How many of ``requests`` made at once may go on: one count in the cache for all
        (the grouped path asks once per group)."""
        key = self.get_cache_key(request)
        if key is None:
            return requests
        count, duration = self.parse_rate(settings.ZHIBAN_API_TOKEN_RATE)
        key = f"{key}_{duration}_{int(self.timer() // duration)}"
        try:
            used = self.cache.incr(key, requests)
        except ValueError:  # the period's first request
            if self.cache.add(key, requests, duration + 1):
                used = requests
            else:
                used = self.cache.incr(key, requests)
        return max(0, min(requests, count - (used - requests)))

    def wait(self) -> float:
        duration = self.parse_rate(settings.ZHIBAN_API_TOKEN_RATE)[1]
        return duration - self.timer() % duration

    def get_cache_key(self, request) -> str | None:
        found = getattr(request, "credential", None)
        if found is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": found.digest[:32]}


def token_allowance(credential, requests: int) -> tuple[int, float]:
    """How many of ``requests`` of a token made at once may go on, and the seconds the
    others wait; for the grouped ``POST /api/events``, which Django's ninja does not see."""
    throttle = TokenThrottle()
    return throttle.allowed(SimpleNamespace(credential=credential), requests), throttle.wait()


class SessionAuth(APIKeyCookie):
    """The browser's login session; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if not request.user.is_authenticated:  # no session: 401, not a CSRF 403
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None
