"""Request id for the audit trail, the interface language, and the security headers an
answer made in front of Django carries (the grouped ``POST /api/events``).

The language is the person's saved choice, else the language cookie, else zh-Hans: a
control-room browser set to English still starts in Chinese until someone switches.
"""

from __future__ import annotations

import functools
import re
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

from .actors import current_request_id, reset_request_id, set_request_id

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LANGUAGES = {code for code, _ in settings.LANGUAGES}


# Django's middleware that put security headers on every answer, in MIDDLEWARE's order
_HEADER_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
)


def request_id_from(given: str) -> str | None:
    """The client's ``X-Request-ID`` if it is a plausible id, else None (a new one is made)."""
    return given if _REQUEST_ID.match(given) else None


@functools.cache
def security_headers(secure: bool) -> tuple[tuple[bytes, bytes], ...] | None:
    """The headers Django's own security, frame and CSP middleware give a JSON answer, for
    answers made in front of Django; None when Django would not answer the request itself
    (plain HTTP under ``ZHIBAN_SSL_REDIRECT``)."""
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None
    handler = lambda request: HttpResponse(content_type="application/json")  # noqa: E731
    for path in reversed([m for m in settings.MIDDLEWARE if m in _HEADER_MIDDLEWARE]):
        handler = import_string(path)(handler)
    request = HttpRequest()
    request.method, request.path = "POST", "/api/events"
    request.path_info = request.path
    request.META = {"SERVER_NAME": "zhiban", "SERVER_PORT": "443" if secure else "80"}
    request.is_secure = lambda: secure
    response = handler(request)
    if response.status_code != 200:
        return None
    return tuple(
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in response.headers.items()
        if name.lower() != "content-type"
    )


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_request_id(request_id_from(request.headers.get("X-Request-ID", "")))
        try:
            request.id = current_request_id()
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            return response
        finally:
            reset_request_id(token)


class SessionRefreshMiddleware:
    """Idle timeout without a database write on every page: the session's expiry moves on
    when it was last moved more than SESSION_REFRESH_SECONDS ago (default 5 minutes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("_refreshed", 0) >= settings.SESSION_REFRESH_SECONDS:
                session["_refreshed"] = now  # marks it modified: saved with a new expiry
        return response


def language_for(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in LANGUAGES:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in LANGUAGES else settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class DomainErrorMiddleware:
    """A refusal that reaches a page unhandled becomes a page for people with its status:
    404 for anything missing or out of scope (ORG-3), 403, 409 or 422 with the rule named."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .errors import DomainError

        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return render(request, "error.html", {"error": exception}, status=exception.status)
