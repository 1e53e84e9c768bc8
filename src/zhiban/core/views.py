"""Pages of the core: the console, notifications, phone contacts, deadlines, the audit
trail, the permission table, chat robots and the outbox (a person's own account pages: org's
accounts.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context, engines
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import console, permissions, selectors, services, targets
from .actors import Source
from .errors import DomainError, NotFound
from .exports import xlsx_response
from .filters import AuditFilter
from .forms import DeadlineForm, ReadBackForm
from .permissions import Action
from .resources import DEADLINES, PHONE
from .scoping import can, centres_for, grants, is_platform_admin
from .tables import Column, Table
from .web import centre_page, required_version, run_service

# --- home -----------------------------------------------------------------------------------------


@login_required
def home(request):
    """To the last centre used, else the first of the person's centres."""
    centres = centres_for(request.user).order_by("name")
    last = request.session.get("centre")
    centre = centres.filter(code=last).first() if last else None
    own = centres.filter(memberships__person=request.user, memberships__active=True)
    centre = centre or own.first() or centres.first()
    if centre is not None:
        return HttpResponseRedirect(reverse("core:centre_home", args=[centre.code]))
    if is_platform_admin(request.user):
        return HttpResponseRedirect(reverse("org:centre_list"))
    return render(request, "core/no_centre.html")


@centre_page("console")
def centre_home(request, centre):
    """The console: the panels of every capability, each showing what needs people now."""
    shown = [(panel, render_panel(request, centre, panel)) for panel in console.panels()]
    return render(
        request,
        "core/console.html",
        {
            "panels": [(panel, html) for panel, html in shown if html is not None],
            "roles": sorted(
                permissions.Role(r).label for r in grants(request.user).get(centre.pk, ())
            ),
        },
    )


@centre_page("console")
def console_panel(request, centre, key):
    """One panel, for the live refresh of an open console."""
    panel = console.get(key)
    html = render_panel(request, centre, panel) if panel else None
    if html is None:
        raise NotFound()
    return HttpResponse(html)


@centre_page("console")
def banners(request, centre):
    """The banners of every page (a flood, severe weather), for their live refresh (INC-3)."""
    return render(request, "core/_banners.html")


def render_panel(request, centre, panel, **extra) -> str | None:
    """One panel's HTML. Panels get the request, the person, the centre and the CSRF token,
    not the whole page shell (the context processors run once per page, not once per panel)."""
    context = panel.context(request, centre)
    if context is None:
        return None
    base = {
        "request": request,
        "user": request.user,
        "centre": centre,
        "csrf_token": get_token(request),
    }
    template = engines["django"].get_template(panel.template).template
    return template.render(Context({**base, **context, **extra}))


# --- notifications ----------------------------------------------------------------------------


@login_required
def notifications(request):
    page = Paginator(selectors.notification_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    template = "core/bell.html" if request.GET.get("bell") else "core/notifications.html"
    return render(request, template, {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    note = services.notification_read(actor=request.user, source=Source.WEB, notification_id=pk)
    link = note.link if url_has_allowed_host_and_scheme(note.link, allowed_hosts=None) else ""
    return HttpResponseRedirect(link or reverse("core:notifications"))


@login_required
@require_POST
def notifications_read_all(request):
    services.notification_read_all(actor=request.user, source=Source.WEB)
    return HttpResponseRedirect(reverse("core:notifications"))


# --- phone contacts ---------------------------------------------------------------------------


@centre_page("phone", Action.PHONE_RECORD)
@require_POST
def phone_read_back(request, centre, pk):
    contact = selectors.phone_contact_get(user=request.user, centre=centre, pk=pk)
    form = ReadBackForm(request.POST)
    _saved, status = run_service(
        form,
        lambda: services.phone_contact_confirm_read_back(
            actor=request.user,
            source=Source.WEB,
            contact_id=contact.pk,
            version=required_version(request),
            data=request.POST,
        ),
    )
    _flash_errors(request, form)
    return HttpResponseRedirect(PHONE.url("detail", centre, contact.pk))


def _flash_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- deadlines --------------------------------------------------------------------------------


@centre_page("deadlines", Action.DEADLINE_MANAGE)
@require_POST
def deadline_new(request, centre):
    """Set a deadline on a registered record (from that record's page)."""
    form = DeadlineForm(request.POST, centre=centre)
    back = request.POST.get("next", "")
    try:
        target = targets.resolve(
            request.POST.get("object_type", ""),
            user=request.user,
            centre=centre,
            pk=request.POST.get("object_id"),
        )
    except DomainError as error:
        form.add_error(None, error.text())
        target = None
    if target is not None:
        run_service(
            form,
            lambda: services.deadline_set(
                actor=request.user,
                source=Source.WEB,
                centre=centre,
                target=target,
                data=request.POST,
            ),
        )
    _flash_errors(request, form)
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = DEADLINES.url("list", centre)
    return HttpResponseRedirect(back)


@centre_page("deadlines", Action.DEADLINE_MANAGE)
@require_POST
def deadline_act(request, centre, pk, action):
    deadline = selectors.deadline_get(user=request.user, centre=centre, pk=pk)
    call = {"meet": services.deadline_meet, "cancel": services.deadline_cancel}[action]
    version = required_version(request)  # a missing one is a 422 page (DESIGN-1)
    try:
        call(
            actor=request.user,
            source=Source.WEB,
            deadline_id=deadline.pk,
            version=version,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, error.text())
    return HttpResponseRedirect(DEADLINES.url("detail", centre, deadline.pk))


# --- audit trail and permissions -------------------------------------------------------------

AUDIT_TABLE = Table(
    [
        Column("#", "seq", width=8),
        Column(gettext_lazy("time"), "at", width=18),
        Column(gettext_lazy("actor"), "actor_label", width=14),
        Column(gettext_lazy("source"), "source", width=8),
        Column(gettext_lazy("action"), "verb", width=22),
        Column(gettext_lazy("object"), "object_repr", width=30),
        Column(gettext_lazy("reason"), "reason", width=30),
        Column(gettext_lazy("request id"), "request_id", width=34),
    ]
)


@centre_page("audit", Action.AUDIT_VIEW)
def audit_list(request, centre):
    filters = AuditFilter(
        request.GET or None, queryset=selectors.audit_event_list(user=request.user, centre=centre)
    )
    rows = filters.qs if filters.is_bound and filters.is_valid() else filters.queryset
    if request.GET.get("export") == "xlsx":
        return xlsx_response(AUDIT_TABLE, rows, _("Audit trail"), f"{centre.code}-audit")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {
            "filters": filters,
            "page": page,
            "can_verify": can(request.user, Action.AUDIT_VERIFY, centre),
        },
    )


@login_required
def audit_verify(request):
    """Check the whole chain (ORG-4) and name the first broken link (counted over the person's
    centres' events unless a platform administrator asks)."""
    result = selectors.audit_verify(user=request.user)
    return render(request, "core/audit_verify.html", {"result": result})


@login_required
def permission_table(request):
    """The one role × action table (ORG-3), read-only."""
    return render(
        request,
        "core/permissions.html",
        {"roles": list(permissions.Role), "rows": permissions.table()},
    )


# --- chat robots and outbox -------------------------------------------------------------------


@centre_page("org", Action.WEBHOOK_MANAGE)
def outbox(request, centre):
    page = Paginator(selectors.outbox_list(user=request.user, centre=centre), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "core/outbox.html", {"page": page})


@centre_page("org", Action.WEBHOOK_MANAGE)
@require_POST
def outbox_retry(request, centre, pk):
    message = selectors.outbox_get(user=request.user, centre=centre, pk=pk)
    try:
        services.outbox_retry(actor=request.user, source=Source.WEB, message_id=message.pk)
    except DomainError as error:
        messages.error(request, error.text())
    return HttpResponseRedirect(reverse("core:outbox", args=[centre.code]))
