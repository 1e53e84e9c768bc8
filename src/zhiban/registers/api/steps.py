"""A step on a desk register's entry over HTTP (REG-3 … REG-8): the entry read in the
caller's scope (404 outside), the service called with the version read, the entry answered."""

from __future__ import annotations

from collections.abc import Callable

from zhiban.core.actors import Source
from zhiban.core.api import centre_of
from zhiban.core.web import Resource


def step(r: Resource, service: Callable, key: str):
    """``act(request, code, pk, payload)`` calling ``service(actor, source, <key>=pk, version,
    data)`` with the payload's other fields as the data."""

    def act(request, code: str, pk: int, payload):
        centre = centre_of(request, code)
        obj = r.get(user=request.user, centre=centre, pk=pk)
        data = payload.dict()
        service(
            actor=request.user,
            source=Source.API,
            version=data.pop("version"),
            data=data,
            **{key: obj.pk},
        )
        return r.get(user=request.user, centre=centre, pk=pk)

    return act
