"""Customers, cases and departments as the pages, the API and the .xlsx exports see them:
their columns, filters, selectors and services (CS-1, CS-2, CS-6)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from .. import filters, phones
from ..forms.cases import CustomerForm, DepartmentForm
from ..models import CustomerType
from ..selectors import cases as case_reads
from ..selectors import customers as customer_reads
from ..services import cases as case_writes
from ..services import customers as customer_writes

CASE_TABLE = Table(
    [
        Column(_("case number"), "number", link=True, width=18),
        Column(_("contact time"), "opened_at", width=16),
        Column(_("customer"), "customer.name", width=12),
        Column(_("phone"), lambda c: phones.shown(c.customer.phone), width=16),
        Column(_("channel"), "channel", width=10),
        Column(_("category"), "category", width=10),
        Column(_("subject"), "subject", width=36),
        Column(_("owner"), lambda c: c.owner or _("in the queue"), width=10),
        Column(_("state"), "state", width=10),
        Column(_("department"), "department", width=14),
        Column(_("first response"), "first_response_at", width=16),
    ]
)

CUSTOMER_TABLE = Table(
    [
        Column(_("name"), "name", link=True, width=12),
        Column(_("phone"), lambda c: phones.shown(c.phone), width=16),
        Column(_("region"), "region", width=12),
        Column(_("address"), "address", width=30),
        Column(_("customer type"), "customer_type", width=12),
        Column(_("member (会员)"), "is_member", width=8),
        Column(_("shop"), "shop", width=14),
    ]
)

DEPARTMENT_TABLE = Table(
    [
        Column(_("name"), "name", link=True, width=16),
        Column(_("function"), "function", width=16),
        Column(_("team"), "team", width=14),
        Column(_("head"), "head", width=10),
        Column(_("e-mail"), "email", width=24),
        Column(_("phone"), "phone", width=14),
        Column(
            _("customer types"),
            lambda d: "、".join(_type_label(t) for t in d.customer_types or []),
            width=20,
        ),
        Column(_("active"), "active", width=8),
    ]
)


def _type_label(value: str) -> str:
    return str(dict(CustomerType.choices).get(value, value))


def _department_extra(request, centre, department) -> dict:
    queue = reverse("service:department_queue", args=[centre.code, department.pk])
    return {"related": [(_("queue"), [(queue, _("Cases routed to it"))])]}


CASES = Resource(
    key="case",
    namespace="service",
    area="service",
    label=_("case"),
    label_plural=_("Cases (工单)"),
    icon="headset",
    table=CASE_TABLE,
    filterset=filters.CaseFilter,
    form=None,
    list=case_reads.case_list,
    get=case_reads.case_get,
    manage_action=Action.SERVICE_INTAKE,
)

CUSTOMERS = Resource(
    key="customer",
    namespace="service",
    area="service",
    label=_("customer"),
    label_plural=_("Customers (客户)"),
    icon="address-book",
    table=CUSTOMER_TABLE,
    filterset=filters.CustomerFilter,
    form=CustomerForm,
    list=customer_reads.customer_list,
    get=customer_reads.customer_get,
    manage_action=Action.SERVICE_INTAKE,
    create=customer_writes.customer_create,
    update=lambda *, actor, source, centre, obj, version, changes: customer_writes.customer_update(
        actor=actor, source=source, customer_id=obj.pk, version=version, changes=changes
    ),
)

DEPARTMENTS = Resource(
    key="department",
    namespace="service",
    area="service",
    label=_("department"),
    label_plural=_("Departments (部门)"),
    icon="building-community",
    table=DEPARTMENT_TABLE,
    filterset=filters.DepartmentFilter,
    form=DepartmentForm,
    list=case_reads.department_list,
    get=case_reads.department_get,
    manage_action=Action.SERVICE_CONFIGURE,
    create=case_writes.department_create,
    update=lambda *, actor, source, centre, obj, version, changes: case_writes.department_update(
        actor=actor, source=source, department_id=obj.pk, version=version, changes=changes
    ),
    detail_extra=_department_extra,
)
