"""Pages every register shares: the registers' home (each register of the centre's kind with
what awaits approval), an entry's page (its fields, the decision, its audit timeline) and the
department leader's approve / refuse (REG-1, REG-2, REG-9). No page deletes an entry."""

from __future__ import annotations

from collections.abc import Callable

from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import Resource, centre_page, required_version, run_service

from ..forms.common import DecisionForm, MomentForm
from ..models import ApprovalState
from ..resources.registry import registers_of

AREA = "registers"


@centre_page(AREA)
def home(request, centre):
    """The registers the centre keeps, each with its entries awaiting approval."""
    rows = [
        {
            "register": register,
            "url": register.resource.url("list", centre),
            "waiting": register.waiting(centre).count() if register.waiting else None,
        }
        for register in registers_of(centre)
    ]
    return render(request, "registers/home.html", {"rows": rows})


def decision_form(verb: str, data=None) -> DecisionForm:
    """The approve or the refuse form (each its own ids: both are on the page)."""
    return DecisionForm(data, auto_id=f"id_{verb}_%s")


def entry_page(request, centre, r: Resource, obj, *, status=200, decision=None, **extra):
    """An entry's page: its fields, the approve and refuse forms while it awaits a leader who
    may decide (``decision``: a refused one, bound, by its verb), what the register adds
    (``extra_template`` and its context) and the timeline."""
    may_decide = getattr(obj, "state", None) == ApprovalState.PENDING and can(
        request.user, Action.REGISTER_APPROVE, centre
    )
    forms = {verb: decision_form(verb) for verb in ("approve", "refuse")} if may_decide else {}
    context = {
        "r": r,
        "obj": obj,
        "list_url": r.url("list", centre),
        "fields": list(zip(r.table.headers(), r.table.cells(obj), strict=True)),
        "decision_forms": forms | (decision or {}),
        "events": timeline(user=request.user, centre=centre, obj=obj)[:100],
        "may_keep": can(request.user, Action.REGISTER_KEEP, centre),
        **extra,
    }
    return render(request, "registers/entry.html", context, status=status)


def decision_urls(r: Resource, prefix: str, decide: Callable, page: Callable) -> list:
    """The approve and refuse actions of an approved register's entry:
    ``decide(actor, source, pk, version, approve, data)``; ``page(request, centre, obj,
    **context)`` shows the entry again with a refusal beside the form."""

    def view(approve: bool):
        @centre_page(AREA, Action.REGISTER_APPROVE)
        @require_POST
        def act(request, centre, pk):
            obj = r.get(user=request.user, centre=centre, pk=pk)
            verb = "approve" if approve else "refuse"
            form = decision_form(verb, request.POST)
            version = required_version(request)
            done, status = run_service(
                form,
                lambda: decide(
                    actor=request.user,
                    source=Source.WEB,
                    pk=obj.pk,
                    version=version,
                    approve=approve,
                    data=request.POST,
                ),
            )
            if done is not None:
                return redirect(r.url("detail", centre, obj.pk))
            return page(request, centre, obj, status=status, decision={verb: form})

        return act

    return [
        path(f"c/<str:code>/{prefix}/<int:pk>/approve/", view(True), name=f"{r.key}_approve"),
        path(f"c/<str:code>/{prefix}/<int:pk>/refuse/", view(False), name=f"{r.key}_refuse"),
    ]


def moment_form(centre, data=None) -> MomentForm:
    return MomentForm(data, centre=centre, auto_id="id_moment_%s")
