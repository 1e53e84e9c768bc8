"""The OpenAPI document tells the truth about errors (DESIGN rule 4, issue 11).

Every operation's error answers are ``{"code", "message", "rule", "fields"}`` (``ErrorOut``),
answered by the handlers of ``core.api`` and ``core.api_auth``, not by the operation. The
document lists, for each operation, the statuses it can give, generically instead of in every
decorator: a signed-in request (401) whose roles may not allow it (403), a record or centre
out of scope or missing (404, ORG-3) where the path or body names one, bad input (422), the
per-token limit (429); a change also a refusal or a stale version (409, DESIGN-1); a JSON body
under another content type (415), an unreadable or too large one (400).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

from .api import ErrorOut

ERRORS: dict[int, str] = {
    400: "The body could not be read: malformed or larger than the server accepts.",
    401: "Neither a valid token nor a login session.",
    403: "The person's roles do not allow this, or a session without its CSRF token.",
    404: "No such record or centre, or one outside the person's centres (ORG-3).",
    409: "A rule refuses the change in the record's state, or the version is stale "
    "(DESIGN-1); `rule` names the rule.",
    415: "The body is not sent as application/json.",
    422: "Bad input: `fields` has a message per field.",
    429: "Too many requests with this token; see Retry-After.",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def error_statuses(operation) -> list[int]:
    """The error statuses an operation can answer, from what it takes."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    body = bool(sources & {"body", "form", "file"})
    statuses = {422} if sources else set()
    if operation.auth_callbacks:
        statuses |= {401, 403}
    if operation.throttle_objects:
        statuses.add(429)
    if "path" in sources or body:
        statuses.add(404)
    if WRITES & set(operation.methods):
        statuses.add(409)
    if body:
        statuses |= {400, 415, 422}
    return sorted(statuses)


class Document(OpenAPISchema):
    """ninja's document, with each operation's error answers (ErrorOut)."""

    def responses(self, operation) -> dict[int, Any]:
        result = super().responses(operation)
        statuses = error_statuses(operation)
        if statuses and "ErrorOut" not in self.schemas:
            self.add_schema_definitions(
                {
                    "ErrorOut": ErrorOut.model_json_schema(
                        ref_template=REF_TEMPLATE,
                        schema_generator=NinjaGenerateJsonSchema,
                        mode="serialization",
                    )
                }
            )
        ref = {"$ref": REF_TEMPLATE.format(model="ErrorOut")}
        for status in statuses:
            result.setdefault(
                status,
                {
                    "description": ERRORS[status],
                    "content": {self.api.renderer.media_type: {"schema": ref}},
                },
            )
        return result


class ZhibanAPI(NinjaAPI):
    """ninja's API whose OpenAPI document names every operation's error answers."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return Document(self, path_prefix)
