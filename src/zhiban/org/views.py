"""Organisation pages (ORG-1 … ORG-3): the centre, its settings, teams, sites, equipment,
people and memberships, the .xlsx import, and the platform administrator's centre list."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhiban.core.actors import Source
from zhiban.core.exports import xlsx_response
from zhiban.core.job_views import start_and_show
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require_platform_admin
from zhiban.core.selectors import timeline
from zhiban.core.web import centre_page, required_version, run_service, submitted

from . import importing, selectors, services, tables
from .centre_settings import SETTINGS
from .forms import CentreForm, ImportForm, PasswordForm, SettingsForm
from .jobs import IMPORT
from .resources import EQUIPMENT, MEMBERSHIPS, PEOPLE, SITES, TEAMS


@centre_page("org")
def overview(request, centre):
    """The centre's page: what it is, its numbers, its settings and its timeline."""
    counts = [
        (TEAMS, centre.teams.count()),
        (SITES, centre.sites.count()),
        (EQUIPMENT, centre.equipment.count()),
        (PEOPLE, selectors.person_list(user=request.user, centre=centre).count()),
        (MEMBERSHIPS, centre.memberships.filter(active=True).count()),
    ]
    settings_rows = [(s, centre.setting(s.key), s.key in centre.settings) for s in SETTINGS]
    return render(
        request,
        "org/overview.html",
        {
            "counts": [(r, r.url("list", centre), n) for r, n in counts],
            "settings_rows": settings_rows,
            "can_manage": can(request.user, Action.ORG_MANAGE, centre),
            "events": timeline(user=request.user, centre=centre, obj=centre)[:50],
        },
    )


@centre_page("org", Action.ORG_MANAGE)
def centre_edit(request, centre):
    status, version = 200, centre.version
    form = CentreForm(request.POST or None, instance=centre)
    if request.method == "POST":
        version = required_version(request)
        saved, status = run_service(
            form,
            lambda: services.centre_update(
                actor=request.user,
                source=Source.WEB,
                centre_id=centre.pk,
                version=version,
                changes=submitted(CentreForm, request.POST),
            ),
        )
        if saved is not None:
            return HttpResponseRedirect(reverse("org:overview", args=[saved.code]))
    return render(
        request,
        "org/centre_form.html",
        {"form": form, "version": version, "title": _("Edit centre")},
        status=status,
    )


@centre_page("org", Action.ORG_MANAGE)
def centre_settings(request, centre):
    status, version = 200, centre.version
    form = SettingsForm(request.POST or None, centre=centre)
    if request.method == "POST":
        version = required_version(request)
        saved, status = run_service(
            form,
            lambda: services.centre_settings_update(
                actor=request.user,
                source=Source.WEB,
                centre_id=centre.pk,
                version=version,
                changes={k: request.POST.get(k, "") for k in form.fields},
            ),
        )
        if saved is not None:
            return HttpResponseRedirect(reverse("org:overview", args=[saved.code]))
    return render(
        request,
        "org/centre_form.html",
        {"form": form, "version": version, "title": _("Centre settings")},
        status=status,
    )


@centre_page("org", Action.PEOPLE_MANAGE)
def person_password(request, centre, pk):
    person = selectors.person_get(user=request.user, centre=centre, pk=pk)
    form = PasswordForm(request.POST or None)
    status, version = 200, person.version
    if request.method == "POST":
        version = required_version(request)
        saved, status = run_service(
            form,
            lambda: services.person_set_password(
                actor=request.user,
                source=Source.WEB,
                centre=centre,
                person_id=person.pk,
                version=version,
                data=request.POST,
            ),
        )
        if saved is not None:
            return HttpResponseRedirect(PEOPLE.url("detail", centre, person.pk))
    return render(
        request,
        "org/centre_form.html",
        {
            "form": form,
            "version": version,
            "title": _("New password for %(name)s") % {"name": person.name},
        },
        status=status,
    )


@centre_page("org", Action.ORG_MANAGE)
def import_sheet(request, centre, kind):
    """Import sites or equipment from .xlsx: a row-by-row report, nothing written if any row
    is bad. A file larger than IMPORT_INLINE_BYTES is imported as a job with its progress and
    its report on the job's page (issue 15)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    status, counts, problems = 200, None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if kind in importing.COLUMNS and upload.size > settings.IMPORT_INLINE_BYTES:
            return start_and_show(
                request,
                centre,
                kind=IMPORT,
                title=f"{_('Import')} · {importing.TITLES[kind]} · {upload.name}",
                params={"kind": kind, "file_name": upload.name},
                upload=upload,
            )
        try:
            counts = importing.run(
                kind,
                actor=request.user,
                source=Source.WEB,
                centre=centre,
                upload=form.cleaned_data["file"],
            )
        except importing.ImportRefused as refusal:
            status, problems = refusal.status, refusal.rows
            form.add_error(None, refusal.text())
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "org/import.html",
        {
            "form": form,
            "kind": kind,
            "counts": counts,
            "problems": problems,
            "title": importing.TITLES[kind],
            "columns": importing.COLUMNS[kind],
            "template_url": reverse("org:import_template", args=[centre.code, kind]),
        },
        status=status,
    )


@centre_page("org")
def import_template(request, centre, kind):
    return HttpResponse(
        importing.template(kind),
        content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        headers={"Content-Disposition": f'attachment; filename="zhiban-{kind}-template.xlsx"'},
    )


@login_required
def centre_list(request):
    """All centres, for the platform administrator (ORG-1)."""
    require_platform_admin(request.user)
    rows = selectors.centre_list(user=request.user)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(tables.CENTRES, rows, str(_("Centres")), "centres")
    return render(
        request,
        "org/centre_list.html",
        {"rows": [(c, tables.CENTRES.cells(c)) for c in rows], "headers": tables.CENTRES.headers()},
    )


@login_required
def centre_new(request):
    require_platform_admin(request.user)
    form = CentreForm(request.POST or None)
    status = 200
    if request.method == "POST":
        centre, status = run_service(
            form,
            lambda: services.centre_create(
                actor=request.user, source=Source.WEB, data=request.POST
            ),
        )
        if centre is not None:
            return HttpResponseRedirect(reverse("org:overview", args=[centre.code]))
    return render(
        request, "org/centre_form.html", {"form": form, "title": _("New centre")}, status=status
    )
