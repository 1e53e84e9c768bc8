"""Who acts, from where (DESIGN rule 1).

Every service takes ``actor`` (a person, or a named system actor such as the scheduler) and
``source`` (web, api, job, gateway, cli). The request id of the current request travels in a
context variable so that the audit trail can tie events of one request together.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    JOB = "job", _("Scheduled job")
    GATEWAY = "gateway", _("Gateway")
    CLI = "cli", _("Command line")


@dataclass(frozen=True)
class SystemActor:
    """A named non-person actor. It passes permission checks: the code path that uses it is
    itself the authority (a scheduled job, the demo loader, the ingestion gateway)."""

    name: str

    is_system = True
    is_superuser = False
    is_authenticated = True
    pk = None

    def __str__(self) -> str:
        return f"system:{self.name}"


SCHEDULER = SystemActor("scheduler")
OUTBOX = SystemActor("outbox")
CLI = SystemActor("cli")
DEMO = SystemActor("demo")
GATEWAY = SystemActor("gateway")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("zhiban_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str | None = None) -> contextvars.Token:
    return _request_id.set(value or uuid.uuid4().hex)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)
