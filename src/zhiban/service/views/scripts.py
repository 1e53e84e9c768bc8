"""Scripts pages (CS-11): the centre's scripts by kind with how agents see them, one script
with its revisions and what each changed, new and edit forms, retire and reactivate."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import attempt, centre_page, required_version, run_service, submitted

from ..forms.scripts import ScriptForm
from ..models import ScriptKind
from ..selectors import scripts as selectors
from ..services import scripts as services

AREA = "service"


def _detail_url(centre, pk) -> str:
    return reverse("service:script_detail", args=[centre.code, pk])


@centre_page(AREA)
def script_list(request, centre):
    """The scripts of each kind, retired ones last, beside the panel agents see (CS-11)."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in ScriptKind.values else ScriptKind.GREETING
    scripts = list(selectors.script_list(user=request.user, centre=centre))
    return render(
        request,
        "service/scripts.html",
        {
            "kinds": [
                (value, label, [s for s in scripts if s.kind == value])
                for value, label in ScriptKind.choices
            ],
            "kind": kind,
            "can_configure": can(request.user, Action.SERVICE_CONFIGURE, centre),
        },
    )


@centre_page(AREA, Action.SERVICE_CONFIGURE)
def script_new(request, centre):
    form = ScriptForm(request.POST or None, centre=centre, initial=request.GET.dict())
    status = 200
    if request.method == "POST":
        script, status = run_service(
            form,
            lambda: services.script_create(
                actor=request.user, source=Source.WEB, centre=centre, data=request.POST
            ),
        )
        if script is not None:
            return redirect(_detail_url(centre, script.pk))
    return render(
        request, "service/script_form.html", {"form": form, "script": None}, status=status
    )


@centre_page(AREA)
def script_detail(request, centre, pk):
    """The script's current text, every revision with the lines it changed, the timeline."""
    script = selectors.script_get(user=request.user, centre=centre, pk=pk)
    return render(
        request,
        "service/script.html",
        {
            "script": script,
            "history": selectors.script_history(script),
            "events": timeline(user=request.user, centre=centre, obj=script)[:100],
            "can_configure": can(request.user, Action.SERVICE_CONFIGURE, centre),
        },
    )


@centre_page(AREA, Action.SERVICE_CONFIGURE)
def script_edit(request, centre, pk):
    """A new title or text becomes the next revision; the version read guards it (409)."""
    script = selectors.script_get(user=request.user, centre=centre, pk=pk)
    version, status = script.version, 200
    if request.method == "POST":
        form = ScriptForm(request.POST, instance=script, centre=centre)
        version = required_version(request)  # kept on a conflict: the person must reload
        saved, status = run_service(
            form,
            lambda: services.script_update(
                actor=request.user,
                source=Source.WEB,
                script_id=script.pk,
                version=version,
                changes=submitted(ScriptForm, request.POST),
            ),
        )
        if saved is not None:
            return redirect(_detail_url(centre, saved.pk))
    else:
        form = ScriptForm(instance=script, centre=centre)
    return render(
        request,
        "service/script_form.html",
        {"form": form, "script": script, "version": version},
        status=status,
    )


def _set_active(request, centre, pk, service):
    script = selectors.script_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: service(
            actor=request.user,
            source=Source.WEB,
            script_id=script.pk,
            version=required_version(request),
        ),
    )
    return redirect(_detail_url(centre, script.pk))


@centre_page(AREA, Action.SERVICE_CONFIGURE)
@require_POST
def script_retire(request, centre, pk):
    return _set_active(request, centre, pk, services.script_retire)


@centre_page(AREA, Action.SERVICE_CONFIGURE)
@require_POST
def script_reactivate(request, centre, pk):
    return _set_active(request, centre, pk, services.script_reactivate)
