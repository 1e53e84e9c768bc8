"""Every answer under /api/ is JSON, errors included (DESIGN rule 4).

The API's own refusals are answered by the handlers in ``core.api``; this middleware covers
what happens outside an operation: an unknown path (404), a method the path does not take
(405, with ``Allow``), Django's own refusals (an unreadable or too large body 400, 403, 404:
Django answers them, this makes the answer JSON), and a fault nobody caught (500, logged with
the request id). Each becomes ``{"code", "message", "rule", "fields"}`` like every other API
error.
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from .errors import Forbidden, NotFound

API_PREFIX = "/api/"
# Django answers these itself with 400/403/404 (RequestDataTooBig is a SuspiciousOperation);
# they are refusals of the request, not faults of the server.
DJANGO_REFUSALS = (BadRequest, Http404, MultiPartParserError, PermissionDenied, SuspiciousOperation)
log = logging.getLogger("zhiban.api")


def _answer(status: int, code: str, message: str) -> JsonResponse:
    body = {"code": code, "message": message, "rule": None, "fields": {}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def error_answer(status: int, reason: str = "") -> JsonResponse:
    """The JSON answer for a status that no API handler answered."""
    if status == 400:
        return _answer(
            400,
            "bad_request",
            _("The request could not be read: it is malformed or larger than the server accepts."),
        )
    if status == 403:
        return _answer(403, Forbidden.code, _("This request is not allowed."))
    if status == 404:
        return _answer(404, NotFound.code, str(NotFound().message))
    if status == 405:
        return _answer(405, "method_not_allowed", _("This address does not take this method."))
    if status >= 500:
        return _answer(
            status, "server_error", _("Something went wrong on the server; it has been logged.")
        )
    return _answer(status, f"http_{status}", reason)


class ApiErrorMiddleware:
    """Turns a non-JSON error answer or an uncaught exception under /api/ into JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            answer = error_answer(response.status_code, response.reason_phrase)
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response

    def process_exception(self, request, exception):
        if not request.path_info.startswith(API_PREFIX) or isinstance(exception, DJANGO_REFUSALS):
            return None  # Django answers its own refusals; __call__ makes them JSON
        log.error(
            "uncaught %s on %s %s (request %s)",
            type(exception).__name__,
            request.method,
            request.path,
            getattr(request, "id", "-"),
            exc_info=exception,
        )
        return error_answer(500)
