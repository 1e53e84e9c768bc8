"""Customers (CS-1): created and changed through ``CustomerForm`` — a valid number stored as
digits, one customer per number and centre — by whoever records contacts or keeps the
customer records; the intake finds or creates them inside its own transaction."""

from __future__ import annotations

from django.db import transaction

from zhiban.core import live
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require
from zhiban.core.services import create_from_form, locked, update_from_form, validated

from ..forms.cases import CustomerForm
from ..models import Customer


def require_keeper(actor, centre) -> None:
    """Who records contacts (CS-1) or keeps the customer records (CS-10); 404 outside the
    centre, 403 without either right."""
    if not can(actor, Action.SERVICE_RECORDS, centre):
        require(actor, Action.SERVICE_INTAKE, centre)


def customer_add(*, actor, source, centre, data) -> Customer:
    """A new customer of the centre, inside the caller's transaction (the intake's)."""
    form = validated(CustomerForm, data, centre=centre)
    customer = create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb="customer.create",
        prepare=lambda obj: setattr(obj, "centre", centre),
    )
    live.refresh_on_commit(centre, "service")
    return customer


@transaction.atomic
def customer_create(*, actor, source, centre, data) -> Customer:
    """CS-1: a customer with a valid number; a second customer with the same number of the
    centre is refused naming the one who has it (422 on ``phone``)."""
    require_keeper(actor, centre)
    return customer_add(actor=actor, source=source, centre=centre, data=data)


@transaction.atomic
def customer_update(*, actor, source, customer_id, version: int, changes) -> Customer:
    """A partial change of a customer (the version read; 409 if stale)."""
    customer = locked(Customer.objects.select_related("centre"), customer_id, version)
    require_keeper(actor, customer.centre)
    customer = update_from_form(
        actor=actor,
        source=source,
        obj=customer,
        form_class=CustomerForm,
        changes=changes,
        verb="customer.update",
        centre=customer.centre,
    )
    live.refresh_on_commit(customer.centre, "service")
    return customer
