"""Acts: each action on a record is one ``Act``. A detail page offers the acts the record's
state and the person's roles allow; an act with a form has its own page (per-field messages,
the rule named on a refusal), an act without one is a button. Work tickets, limit changes and
setting sheets use them here; ``ops`` (orders, operation tickets) uses the same (ADR 0012)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zhiban.core.scoping import can
from zhiban.core.web import attempt, run_service


def now():
    """The time an act's form starts with: now, to the minute."""
    return timezone.now().replace(second=0, microsecond=0)


@dataclass(frozen=True)
class Act:
    """One thing a person can do to a record."""

    key: str
    label: Any
    action: str  # the permission it needs
    run: Callable  # (request, obj, data) -> result; raises DomainError on a refusal
    flow: str = ""  # the transition of the record's FLOW it needs ("" = any open state)
    form: Any = None  # None: a button
    initial: Callable = lambda request, obj: {}
    style: str = ""
    rule: str = ""
    when: Callable = lambda request, obj: True
    explain: str = ""  # a template shown above the act's form, given the record as ``obj``

    @property
    def has_form(self) -> bool:
        """For templates, which would call the form class (it needs the centre)."""
        return self.form is not None

    def allowed(self, request, obj) -> bool:
        if self.flow and not type(obj).FLOW.allows(obj.state, self.flow):
            return False
        return self.when(request, obj) and can(request.user, self.action, obj.centre)


def offered(request, acts, obj) -> list[Act]:
    return [a for a in acts if a.allowed(request, obj)]


def act_page(request, centre, *, found: Act | None, get: Callable, pk, detail_url: str):
    """The page of one act with a form (GET), or doing it (POST); ``get`` is the record's
    scoped selector, ``detail_url`` the URL name of its page."""
    if found is None:
        raise Http404
    obj = get(user=request.user, centre=centre, pk=pk)
    if not found.allowed(request, obj):
        raise Http404
    back_url = reverse(detail_url, args=[obj.centre.code, obj.pk])
    if found.form is None:
        if request.method == "POST":
            attempt(request, lambda: found.run(request, obj, request.POST))
        return HttpResponseRedirect(back_url)
    form = found.form(request.POST or None, centre=centre, initial=found.initial(request, obj))
    status = 200
    if request.method == "POST":
        done, status = run_service(form, lambda: found.run(request, obj, request.POST))
        if done is not None:
            return HttpResponseRedirect(back_url)
    return render(
        request,
        "work/act.html",
        {"act": found, "obj": obj, "form": form, "back_url": back_url},
        status=status,
    )
