"""A step on a desk register's entry page (REG-3 … REG-8): the form posted with the version
read, the service called, back to the entry — or the entry again with the refusal beside the
form (422/409)."""

from __future__ import annotations

from collections.abc import Callable

from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.web import Resource, centre_page, required_version, run_service

from ..models import DndState, FollowState, FoundState, LoanState, WakeUpState
from .common import AREA


def step_view(r: Resource, form_class, service: Callable, key: str, page: Callable, name: str):
    """POST …/<pk>/<name>/: ``service(actor, source, <key>=pk, version, data)``; ``page(request,
    centre, obj, status=…, forms={name: form})`` shows the entry with the bound form."""

    @centre_page(AREA, Action.REGISTER_KEEP)
    @require_POST
    def act(request, centre, pk):
        obj = r.get(user=request.user, centre=centre, pk=pk)
        form = form_class(request.POST, centre=centre, prefix=name)
        version = required_version(request)
        done, status = run_service(
            form,
            lambda: service(
                actor=request.user,
                source=Source.WEB,
                version=version,
                data=_unprefixed(request.POST, name),
                **{key: obj.pk},
            ),
        )
        if done is not None:
            return redirect(r.url("detail", centre, obj.pk))
        return page(request, centre, obj, status=status, bound={name: form})

    return act


def _unprefixed(post, prefix: str) -> dict:
    start = f"{prefix}-"
    return {k[len(start) :]: v for k, v in post.items() if k.startswith(start)}


def step_urls(prefix: str, r: Resource, page: Callable, key: str, steps) -> list:
    """The URL of each step ``(name, form_class, service)`` of the entries under ``prefix``."""
    return [
        path(
            f"c/<str:code>/{prefix}/<int:pk>/{name.replace('_', '-')}/",
            step_view(r, form_class, service, key, page, name),
            name=f"{r.key}_{name}",
        )
        for name, form_class, service in steps
    ]


def step_forms(centre, offered, bound: dict | None) -> list:
    """The steps offered now (``(name, form class, button label, icon)``) as ``(name, form,
    label, icon)``, each form bound where a refusal is shown beside it; a refused step no
    longer offered (a second return, a stale page) keeps its refusal, without a button."""
    bound = bound or {}
    steps = [
        (name, bound.pop(name, None) or form_class(centre=centre, prefix=name), label, icon)
        for name, form_class, label, icon in offered
    ]
    return steps + [(name, form, None, None) for name, form in bound.items()]


# the desk registers' states still waiting for a step: an orange badge on the entry
OPEN_STATES = frozenset(
    {
        WakeUpState.BOOKED,
        WakeUpState.SECOND_CALL,
        WakeUpState.SEND_ATTENDANT,
        DndState.TO_CALL,
        DndState.ESCALATED,
        LoanState.LENT,
        FoundState.KEPT,
        FollowState.OPEN,
    }
)
