"""The desk registers' entry pages (REG-3 … REG-6): each entry with its fields, its timeline
and, while open, the one step closing it — returned, handed back, done."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from zhiban.core.web import Resource, centre_page

from ..forms.desk import HandBackForm, ResultForm, ReturnForm
from ..resources.desk import FOUND_ITEM_LIST, LOAN_LIST, PHONE_MESSAGE_LIST, REPAIR_LIST
from ..services import desk as services
from .common import AREA, entry_page
from .steps import OPEN_STATES, step_forms, step_urls

# (resource, url prefix, the service's id keyword, the open state, the closing step)
DESK = [
    (
        LOAN_LIST,
        "loans",
        "loan_id",
        "lent",
        ("return", ReturnForm, _("Record the return"), "arrow-back-up", services.loan_return),
    ),
    (
        FOUND_ITEM_LIST,
        "found-items",
        "item_id",
        "kept",
        (
            "hand_back",
            HandBackForm,
            _("Record the hand-back"),
            "gift",
            services.found_item_hand_back,
        ),
    ),
    (
        PHONE_MESSAGE_LIST,
        "phone-messages",
        "message_id",
        "open",
        ("done", ResultForm, _("Record the result"), "check", services.phone_message_done),
    ),
    (
        REPAIR_LIST,
        "repairs",
        "repair_id",
        "open",
        ("done", ResultForm, _("Record the result"), "check", services.repair_done),
    ),
]


def _page_of(r: Resource, open_state: str, step: tuple):
    name, form_class, label, icon, _service = step

    def page(request, centre, obj, *, bound=None, **context):
        offered = [(name, form_class, label, icon)] if obj.state == open_state else []
        return entry_page(
            request,
            centre,
            r,
            obj,
            extra_template="registers/_steps.html",
            open_states=OPEN_STATES,
            steps=step_forms(centre, offered, bound),
            **context,
        )

    return page


def _detail_of(r: Resource, page):
    @centre_page(AREA)
    def detail(request, centre, pk):
        return page(request, centre, r.get(user=request.user, centre=centre, pk=pk))

    return detail


def urls(C: str) -> list:
    patterns: list = []
    for r, prefix, key, open_state, step in DESK:
        page = _page_of(r, open_state, step)
        name, form_class, _label, _icon, service = step
        patterns += [
            path(f"{C}/{prefix}/<int:pk>/", _detail_of(r, page), name=f"{r.key}_detail"),
            *step_urls(f"registers/{prefix}", r, page, key, [(name, form_class, service)]),
        ]
    return patterns
