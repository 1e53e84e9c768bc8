"""What every approved register's API shares: the decision's fields in the answer, and the
department leader's approve and refuse endpoints (REG-1, REG-2, REG-9; the version read is
required, a refusal needs its reason). No endpoint deletes an entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from zhiban.core.actors import Source
from zhiban.core.api import Id, centre_of
from zhiban.core.web import Resource

Note = Annotated[str, Field("", max_length=500)]


class RegisterEntryOut(Schema):
    state: str
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str
    recorded_by_id: int | None
    created_at: datetime
    version: int


class RegisterDecisionIn(Schema):
    version: Id
    decision_note: Note = ""


def add_decisions(
    router: Router, r: Resource, *, path: str, out, decide: Callable, tag: str
) -> None:
    """POST …/{pk}/approve and …/{pk}/refuse for the register's entries;
    ``decide(actor, source, pk, version, approve, data)``."""
    base = "/centres/{code}/" + path + "/{pk}"

    def endpoint(approve: bool):
        def act(request, code: str, pk: Id, payload: RegisterDecisionIn):
            centre = centre_of(request, code)
            obj = r.get(user=request.user, centre=centre, pk=pk)
            decide(
                actor=request.user,
                source=Source.API,
                pk=obj.pk,
                version=payload.version,
                approve=approve,
                data=payload.dict(),
            )
            return r.get(user=request.user, centre=centre, pk=pk)

        return act

    for verb, approve in (("approve", True), ("refuse", False)):
        router.post(
            f"{base}/{verb}",
            response=out,
            tags=[tag],
            operation_id=f"{r.key}_{verb}",
            summary=f"{verb.title()} a {r.key} entry (department leader)",
        )(endpoint(approve))
