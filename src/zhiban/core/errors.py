"""Domain errors: refusals meant for people (DESIGN rule 4).

Every refusal carries a machine ``code``, a message in the user's language naming the rule,
and for bad input a per-field map. The API and the web views turn them into 404/409/422
answers; nothing here knows about HTTP beyond the suggested status.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

RULE_ID = re.compile(r"[A-Z]+-\d+")


class DomainError(Exception):
    """A refusal with a machine code and a message for people."""

    status = 422
    code = "refused"

    def __init__(
        self,
        message=None,
        *,
        code: str | None = None,
        rule: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ):
        self.rule = rule
        self.fields = fields or {}
        if code:
            self.code = code
        self.message = message if message is not None else self.default_message()
        super().__init__(str(self.message))

    def default_message(self):
        return _("The action was refused.")

    def text(self) -> str:
        """The message with the rule ID, as the user sees it."""
        msg = str(self.message)
        if self.rule and not any(f"{o}{self.rule}{c}" in msg for o, c in ("()", "（）")):
            msg = f"{msg} ({self.rule})"
        return msg


def rule_of(form_errors) -> str | None:
    """The rule a form's errors name: a Django ``ValidationError(message, code="INC-2")``
    carries it in its code, so the API answers ``"rule": "INC-2"`` (DESIGN rule 4)."""
    for problems in form_errors.as_data().values():
        for problem in problems:
            if problem.code and RULE_ID.fullmatch(problem.code):
                return problem.code
    return None


class InvalidInput(DomainError):
    """Bad input: 422 with a message per field."""

    status = 422
    code = "invalid"

    def default_message(self):
        return _("Please correct the marked fields.")


class MissingVersion(InvalidInput):
    """A change to an existing record without the version the person read: 422 on
    ``version``, never a silent last-writer-wins (DESIGN rule 1)."""

    RULE = "DESIGN-1"

    def __init__(self):
        message = _("A change needs the version of the record you read; reload and try again.")
        super().__init__(message, rule=self.RULE, fields={"version": [f"{message} ({self.RULE})"]})


class Refused(DomainError):
    """A business rule refuses the action in the object's current state: 409."""

    status = 409
    code = "refused"


class Conflict(DomainError):
    """Optimistic concurrency: someone else changed the object first (409)."""

    status = 409
    code = "conflict"

    def default_message(self):
        return _("Someone else changed this; reload and try again.")


class Forbidden(DomainError):
    """In scope but the person's roles do not allow the action (ORG-3)."""

    status = 403
    code = "forbidden"

    def default_message(self):
        return _("Your role does not allow this action.")


class NotFound(DomainError):
    """Missing or out of scope: both answer 404 so scope does not leak (ORG-3)."""

    status = 404
    code = "not_found"

    def default_message(self):
        return _("Not found.")
