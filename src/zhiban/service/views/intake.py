"""The intake screen (CS-1, CS-6), keyboard first: the number typed finds the customer while
it is typed, the customer's history shows beside the form, the complaint's or the order's part
appears with its category, and after saving the screen is ready for the next call. And a
customer's own page (details, history, timeline)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse

from zhiban.core.actors import Source
from zhiban.core.errors import InvalidInput
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import centre_page, run_service, submitted

from .. import phones
from ..forms.cases import IntakeForm
from ..forms.complaints import ComplaintForm
from ..forms.orders import OrderForm
from ..models import Category, Channel
from ..selectors import cases as case_reads
from ..selectors import customers as reads
from ..services import cases as writes

AREA = "service"
# one key per channel and per category, pressed with the browser's access-key modifier
CHANNEL_KEYS = {
    Channel.PHONE: "1",
    Channel.HOTLINE: "2",
    Channel.VISIT: "3",
    Channel.WEB: "4",
    Channel.CHAT: "5",
}
CATEGORY_KEYS = {
    Category.CONSULTATION: "q",
    Category.COMPLAINT: "w",
    Category.ORDER: "e",
    Category.SUGGESTION: "r",
    Category.SERVICE_REQUEST: "t",
}
PARTS = {"complaint": "complaint-", "order": "order-"}


def _part_forms(centre, category: str, data=None) -> dict:
    """The complaint's or the order's form for the category (prefixed ``complaint-`` /
    ``order-``, so they travel with the intake's own fields)."""
    if category == Category.COMPLAINT:
        return {"complaint_form": ComplaintForm(data, prefix="complaint", centre=centre)}
    if category == Category.ORDER:
        return {"order_form": OrderForm(data, prefix="order", centre=centre)}
    return {}


def _part_data(post, part: str) -> dict | None:
    """The fields of one part as its service takes them (an unticked box is False)."""
    prefix = PARTS[part]
    form_class = ComplaintForm if part == "complaint" else OrderForm
    if not any(key.startswith(prefix) for key in post):
        return None
    named = {key[len(prefix) :]: value for key, value in post.items() if key.startswith(prefix)}
    fields = submitted(form_class, named)
    return fields


def _radios(form, name: str, keys: dict) -> list[dict]:
    chosen = str(form[name].value() or "")
    return [
        {"value": value, "label": label, "key": keys.get(value, ""), "checked": value == chosen}
        for value, label in form.fields[name].choices
    ]


def _page(request, centre, form, *, parts=None, status=200, saved=None, customer=None):
    category = str(form["category"].value() or "")
    context = {
        "form": form,
        "channels": _radios(form, "channel", CHANNEL_KEYS),
        "categories": _radios(form, "category", CATEGORY_KEYS),
        "saved": saved,
        "customer": customer,
        "history": reads.customer_history(user=request.user, centre=centre, customer=customer)
        if customer
        else None,
        **(parts if parts is not None else _part_forms(centre, category)),
    }
    return render(request, "service/intake.html", context, status=status)


def _split_errors(form, parts: dict, error: InvalidInput) -> None:
    """Per-field messages of the parts (``complaint.kind``) go beside their own fields."""
    for name, messages in error.fields.items():
        part, _dot, field = name.partition(".")
        target = parts.get(f"{part}_form") if field else None
        if target is None:
            continue
        target.add_error(field if field in target.fields else None, messages)
    error.fields = {k: v for k, v in error.fields.items() if "." not in k}


@centre_page(AREA, Action.SERVICE_INTAKE)
def intake(request, centre):
    """CS-1: one screen for a call, a visit or a message; the phone field has the focus."""
    if request.method != "POST":
        initial = {"phone": request.GET.get("phone", ""), "call": request.GET.get("call", "")}
        initial["channel"] = Channel.HOTLINE if initial["call"] else Channel.PHONE
        form = IntakeForm(initial=initial, centre=centre)
        saved = None
        if request.GET.get("saved", "").isdigit():
            saved = case_reads.contact_get(
                user=request.user, centre=centre, pk=int(request.GET["saved"])
            )
        customer = None
        number = phones.digits(initial["phone"])
        if number:
            customer = reads.customer_by_phone(centre=centre, phone=number)
        return _page(request, centre, form, saved=saved, customer=customer)
    form = IntakeForm(request.POST, centre=centre)
    data = submitted(IntakeForm, request.POST)
    parts = _part_forms(centre, str(request.POST.get("category", "")), request.POST)
    complaint = _part_data(request.POST, "complaint") if "complaint_form" in parts else None
    order = _part_data(request.POST, "order") if "order_form" in parts else None

    def record():
        try:
            return writes.contact_record(
                actor=request.user,
                source=Source.WEB,
                centre=centre,
                data=data,
                complaint=complaint,
                order=order,
            )
        except InvalidInput as error:
            _split_errors(form, parts, error)
            raise

    contact, status = run_service(form, record)
    if contact is not None:
        return redirect(reverse("service:intake", args=[centre.code]) + f"?saved={contact.pk}")
    number = phones.digits(str(request.POST.get("phone", "")))
    customer = reads.customer_by_phone(centre=centre, phone=number) if number else None
    return _page(request, centre, form, parts=parts, status=status, customer=customer)


@centre_page(AREA, Action.SERVICE_INTAKE)
def intake_lookup(request, centre):
    """CS-1 (htmx): the customers whose number holds the digits typed so far (four or more)."""
    typed = request.GET.get("phone", "")
    matches = reads.customer_lookup(user=request.user, centre=centre, digits=typed)
    digits = "".join(ch for ch in phones.digits(typed) if ch.isdigit())
    return render(
        request,
        "service/_lookup.html",
        {
            "matches": [(c, phones.shown(c.phone)) for c in matches],
            "typed": digits,
            "too_short": 0 < len(digits) < reads.LOOKUP_MIN_DIGITS,
        },
    )


@centre_page(AREA, Action.SERVICE_INTAKE)
def intake_part(request, centre):
    """The complaint's or the order's part of the intake for the category chosen (htmx)."""
    category = request.GET.get("category", "")
    return render(request, "service/_intake_part.html", _part_forms(centre, category))


@centre_page(AREA)
def customer_history(request, centre, pk):
    """The customer's history beside the intake form (htmx): earlier contacts, open cases,
    orders, the last return visit."""
    customer = reads.customer_get(user=request.user, centre=centre, pk=pk)
    history = reads.customer_history(user=request.user, centre=centre, customer=customer)
    context = {"history": history, "pick_case": request.GET.get("pick") == "1"}
    return render(request, "service/_customer_history.html", context)


@centre_page(AREA)
def customer_detail(request, centre, pk):
    """A customer: details, history (contacts, open cases, orders, last return visit), all
    cases and the audit timeline."""
    customer = reads.customer_get(user=request.user, centre=centre, pk=pk)
    history = reads.customer_history(
        user=request.user, centre=centre, customer=customer, contacts=30
    )
    cases = case_reads.case_list(user=request.user, centre=centre).filter(customer=customer)
    return render(
        request,
        "service/customer_detail.html",
        {
            "customer": customer,
            "shown_phone": phones.shown(customer.phone),
            "history": history,
            "cases": [(case, case_reads.clock(case)) for case in cases[:50]],
            "can_edit": reads.can_keep_customers(request.user, centre),
            "can_intake": can(request.user, Action.SERVICE_INTAKE, centre),
            "events": timeline(user=request.user, centre=centre, obj=customer)[:100],
        },
    )
