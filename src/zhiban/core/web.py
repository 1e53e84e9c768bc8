"""Web helpers every app's views share.

- ``centre_page``: resolves ``/c/<code>/`` to a centre in the person's scope (404 otherwise,
  ORG-3), checks the action, and shows times in the centre's zone (DESIGN rule 5).
- ``run_service``: calls a service for a submitted form and puts a refusal next to the form
  (422 per field, 409 "someone else changed this; reload").
- ``Resource`` and ``resource_urls``: list (filters, paging, .xlsx export), detail with the
  audit timeline, create and edit pages for a record kind, from one declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from . import targets
from .actors import Source
from .errors import DomainError, InvalidInput, MissingVersion
from .exports import xlsx_response
from .forms import DeadlineForm
from .paging import OpenPage
from .scoping import can, centre_get, require
from .selectors import deadline_list, timeline
from .tables import Table


def centre_page(area: str, action: str = "org.view"):
    """Decorator for pages under /c/<code>/: the view receives the centre as 2nd argument."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, code, *args, **kwargs):
            centre = centre_get(user=request.user, code=code)
            require(request.user, action, centre)
            request.centre, request.area = centre, area
            if request.session.get("centre") != centre.code:  # no session write on every page
                request.session["centre"] = centre.code
            with timezone.override(centre.tz):
                return view(request, centre, *args, **kwargs)

        return wrapper

    return decorate


def submitted(form_class, post, files=None) -> dict:
    """The values of a submitted HTML form as a complete change set: an unticked checkbox is
    False and a multiple choice a list, as the services expect."""
    return {
        name: f.widget.value_from_datadict(post, files, name)
        for name, f in form_class.base_fields.items()
    }


def run_service(form, call: Callable[[], Any]) -> tuple[Any, int]:
    """Run ``call``; on a refusal attach its messages to ``form``. Returns (result, status).
    A missing version is answered as it is (see ``attempt``)."""
    try:
        return call(), 200
    except MissingVersion:
        raise
    except InvalidInput as error:
        for name, messages in error.fields.items():
            field = name if name in form.fields else None
            shown = form.errors.get(field or "__all__", [])  # the bound form may have them
            fresh = [m for m in messages if m not in shown]
            if fresh:
                form.add_error(field, fresh)
        if not error.fields:
            form.add_error(None, error.text())
        return None, error.status
    except DomainError as error:
        form.add_error(None, error.text())
        form.error_code = error.code
        return None, error.status


def back(request, fallback: str):
    """Redirect to the page the form was posted from (``next`` or the referer, same host)."""
    target = request.POST.get("next") or request.headers.get("referer") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return HttpResponseRedirect(target)


def attempt(request, call) -> bool:
    """Run a service for a one-button action; a refusal becomes a message on the next page.
    A request without the version the page showed is answered as it is, a 422 page naming
    DESIGN-1: pages always send it, so it is no refusal to explain on the next page."""
    try:
        call()
        return True
    except MissingVersion:
        raise
    except DomainError as error:
        if getattr(error, "fields", None):
            messages.error(request, "；".join(m for ms in error.fields.values() for m in ms))
        else:
            messages.error(request, error.text())
        return False


def version_of(post) -> int | None:
    try:
        return int(post.get("version", ""))
    except ValueError:
        return None


def required_version(request) -> int:
    """The version the person read: a stale one answers 409, a missing one 422 (DESIGN-1)."""
    version = version_of(request.POST)
    if version is None:
        raise MissingVersion()
    return version


@dataclass
class Resource:
    """One kind of record in a centre, shown as list / detail / create / edit pages."""

    key: str  # url names: <namespace>:<key>_list, _detail, _new, _edit
    namespace: str  # the app's URL namespace
    area: str
    label: Any
    label_plural: Any
    table: Table
    filterset: Any
    list: Callable  # (user, centre) -> queryset
    get: Callable  # (user, centre, pk) -> obj
    form: Any  # form class for the create and edit pages
    manage_action: str
    create: Callable | None = None  # (actor, source, centre, data) -> obj
    update: Callable | None = None  # (actor, source, centre, obj, version, changes) -> obj
    create_form: Any = None  # defaults to ``form``
    detail: Table | None = None  # defaults to ``table``
    form_kwargs: Callable = lambda request, centre: {}
    detail_extra: Callable = lambda request, centre, obj: {}
    page_size: int = 50
    icon: str = "list"
    import_kind: str = ""  # offers the .xlsx import of org.importing
    open_paging: bool = False  # a list that grows without bound: pages without a total count

    def url(self, verb: str, centre, pk=None) -> str:
        kwargs = {"code": centre.code} | ({"pk": pk} if pk is not None else {})
        return reverse(f"{self.namespace}:{self.key}_{verb}", kwargs=kwargs)


# "namespace:key" → resource, so that an export job finds its list again (core.jobs)
RESOURCES: dict[str, Resource] = {}


def resource_urls(resource: Resource, prefix: str, detail: bool = True) -> list:
    """URL patterns for a resource under /c/<code>/<prefix>/ (``detail=False`` when the app
    writes its own detail page under the same name)."""
    r = resource
    RESOURCES[f"{r.namespace}:{r.key}"] = r
    list_view = centre_page(r.area)(lambda request, centre: _list(request, centre, r))
    detail_view = centre_page(r.area)(lambda request, centre, pk: _detail(request, centre, r, pk))
    patterns = [path(f"c/<str:code>/{prefix}/", list_view, name=f"{r.key}_list")]
    if detail:
        patterns.append(
            path(f"c/<str:code>/{prefix}/<int:pk>/", detail_view, name=f"{r.key}_detail")
        )
    if r.create:
        new_view = centre_page(r.area, r.manage_action)(
            lambda request, centre: _create(request, centre, r)
        )
        patterns.append(path(f"c/<str:code>/{prefix}/new/", new_view, name=f"{r.key}_new"))
    if r.update:
        edit_view = centre_page(r.area, r.manage_action)(
            lambda request, centre, pk: _edit(request, centre, r, pk)
        )
        patterns.append(
            path(f"c/<str:code>/{prefix}/<int:pk>/edit/", edit_view, name=f"{r.key}_edit")
        )
    return patterns


def _list(request, centre, r: Resource):
    filters = r.filterset(
        request.GET or None, queryset=r.list(user=request.user, centre=centre), request=request
    )
    rows = filters.qs if filters.is_bound and filters.is_valid() else filters.queryset
    if request.GET.get("export") == "xlsx":
        if rows.count() > settings.EXPORT_INLINE_ROWS:  # a big list: a job with its progress
            from .jobs import export_start, page_url

            job = export_start(actor=request.user, centre=centre, resource=r, query=request.GET)
            return HttpResponseRedirect(page_url(job))
        return xlsx_response(r.table, rows, str(r.label_plural), f"{centre.code}-{r.key}")
    if r.open_paging:  # counting a centre's hundred thousand rows costs more than the page
        page = OpenPage(rows, request.GET.get("page"), r.page_size)
    else:
        page = Paginator(rows, r.page_size).get_page(request.GET.get("page"))
    context = {
        "r": r,
        "filters": filters,
        "page": page,
        "list_url": r.url("list", centre),
        "rows": [
            (
                obj,
                r.url("detail", centre, obj.pk),
                list(zip(r.table.columns, r.table.cells(obj), strict=True)),
            )
            for obj in page.object_list
        ],
        "can_create": bool(r.create) and can(request.user, r.manage_action, centre),
        "new_url": r.url("new", centre) if r.create else "",
    }
    template = "core/resource_table.html" if request.htmx else "core/resource_list.html"
    return render(request, template, context)


def _detail(request, centre, r: Resource, pk):
    obj = r.get(user=request.user, centre=centre, pk=pk)
    table = r.detail or r.table
    context = {
        "r": r,
        "obj": obj,
        "list_url": r.url("list", centre),
        "fields": list(zip(table.headers(), table.cells(obj), strict=True)),
        "events": timeline(user=request.user, centre=centre, obj=obj)[:100],
        "can_edit": bool(r.update) and can(request.user, r.manage_action, centre),
        "edit_url": r.url("edit", centre, obj.pk) if r.update else "",
    }
    context.update(deadline_panel(request, centre, obj))
    context.update(r.detail_extra(request, centre, obj))
    return render(request, "core/resource_detail.html", context)


def deadline_panel(request, centre, obj) -> dict:
    """A record that deadlines may point at shows its deadlines and a form to add one."""
    label = targets.label_of(obj)
    if label not in targets.labels():
        return {}
    panel = {
        "deadlines": deadline_list(user=request.user, centre=centre).filter(
            content_type__app_label=obj._meta.app_label,
            content_type__model=obj._meta.model_name,
            object_id=str(obj.pk),
        )
    }
    if can(request.user, "deadline.manage", centre):
        panel["deadline_form"] = DeadlineForm(centre=centre)
        panel["deadline_target"] = (label, obj.pk)
    return panel


def _create(request, centre, r: Resource):
    form_class = r.create_form or r.form
    kwargs = {"centre": centre} | r.form_kwargs(request, centre)
    form = form_class(
        request.POST or None, request.FILES or None, initial=request.GET.dict(), **kwargs
    )
    status = 200
    if request.method == "POST":
        obj, status = run_service(
            form,
            lambda: r.create(
                actor=request.user, source=Source.WEB, centre=centre, data=request.POST
            ),
        )
        if obj is not None:
            return HttpResponseRedirect(r.url("detail", centre, obj.pk))
    return render(
        request,
        "core/resource_form.html",
        {
            "r": r,
            "form": form,
            "obj": None,
            "list_url": r.url("list", centre),
            "back_url": r.url("list", centre),
        },
        status=status,
    )


def _edit(request, centre, r: Resource, pk):
    obj = r.get(user=request.user, centre=centre, pk=pk)
    kwargs = {"centre": centre} | r.form_kwargs(request, centre)
    status = 200
    version = obj.version
    if request.method == "POST":
        form = r.form(request.POST, request.FILES or None, instance=obj, **kwargs)
        version = required_version(request)  # kept on a conflict: the person must reload
        changes = submitted(r.form, request.POST, request.FILES)
        saved, status = run_service(
            form,
            lambda: r.update(
                actor=request.user,
                source=Source.WEB,
                centre=centre,
                obj=obj,
                version=version,
                changes=changes,
            ),
        )
        if saved is not None:
            return HttpResponseRedirect(r.url("detail", centre, saved.pk))
    else:
        form = r.form(instance=obj, initial=request.GET.dict(), **kwargs)
    return render(
        request,
        "core/resource_form.html",
        {
            "r": r,
            "form": form,
            "obj": obj,
            "version": version,
            "list_url": r.url("list", centre),
            "back_url": r.url("detail", centre, obj.pk),
        },
        status=status,
    )
