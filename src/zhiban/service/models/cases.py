"""Contacts (来电/来访记录) and the cases (工单) they open or add to, and the departments a case
is routed to (CS-1, CS-2, CS-6).

Whoever receives a case owns it to the end; a case without an owner — a web lead or a missed
hotline call — waits in the morning queue until an agent takes it (CS-6).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel


class Channel(models.TextChoices):
    """CS-1: how the customer reached the centre."""

    PHONE = "phone", _("Phone (电话)")
    HOTLINE = "hotline", _("400 hotline (400热线)")
    VISIT = "visit", _("Visit (来访)")
    WEB = "web", _("Web (网络留言)")
    CHAT = "chat", _("Online chat (在线客服)")


class Category(models.TextChoices):
    """CS-1: what the contact is about."""

    CONSULTATION = "consultation", _("Consultation (咨询)")
    COMPLAINT = "complaint", _("Complaint (投诉)")
    ORDER = "order", _("Order (订货)")
    SUGGESTION = "suggestion", _("Suggestion (建议)")
    SERVICE_REQUEST = "service_request", _("Service request (日常服务)")


class DepartmentFunction(models.TextChoices):
    """CS-2, CS-3, CS-5: what a department does for customer service."""

    SERVICE = "service", _("Handles service requests (业务部门)")
    SALES_DESK = "sales_desk", _("Sales desk (销售内勤)")
    QUALITY = "quality", _("Quality control (质检)")
    GENERAL_OFFICE = "general_office", _("General office (总经办)")


class Department(VersionedModel):
    """A department customer service routes to (CS-2): one of the centre's teams, or a named
    outside department whose results the agents record as they come back. Sales desks take
    the day's orders of their customer types (CS-3); quality control and the general office
    are told of product-quality complaints at once (CS-5)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=60)
    function = models.CharField(
        _("function"),
        max_length=20,
        choices=DepartmentFunction.choices,
        default=DepartmentFunction.SERVICE,
    )
    team = models.ForeignKey(
        "org.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("Empty for a department outside the centre"),
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    customer_types = models.JSONField(
        _("customer types"),
        default=list,
        blank=True,
        help_text=_("A sales desk takes the orders of these customer types (CS-3)"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department (部门)")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="service_department_name")
        ]

    def __str__(self) -> str:
        return self.name


class CaseState(models.TextChoices):
    OPEN = "open", _("Open (处理中)")
    ROUTED = "routed", _("With a department (转部门)")
    CLOSED = "closed", _("Closed (已办结)")


OPEN_CASE_STATES = [CaseState.OPEN, CaseState.ROUTED]
_OPEN, _ROUTED = CaseState.OPEN, CaseState.ROUTED  # the transition table's shorthands


class Case(VersionedModel):
    """A case (工单): what one customer needs, from the first contact to the close (CS-1 …
    CS-6). The first-response clock (a foundation deadline, ``service.first_response_minutes``)
    starts at ``opened_at``; the owner keeps the case to the end and hands it over only by an
    explicit, logged transfer with a reason (CS-6). A routed case waits for its department's
    result, which must be back before it closes (CS-2)."""

    FLOW = Flow(
        "service_case",
        CaseState,
        initial=CaseState.OPEN,
        rule="CS-2",
        transitions=[
            Transition("take", (_OPEN,), _OPEN, rule="CS-6"),
            Transition("respond", (_OPEN,), _OPEN, rule="CS-6"),
            Transition("respond", (_ROUTED,), _ROUTED, rule="CS-6"),
            Transition("transfer", (_OPEN,), _OPEN, rule="CS-6"),
            Transition("transfer", (_ROUTED,), _ROUTED, rule="CS-6"),
            Transition("add_contact", (_OPEN,), _OPEN, rule="CS-1"),
            Transition("add_contact", (_ROUTED,), _ROUTED, rule="CS-1"),
            Transition("route", (_OPEN,), _ROUTED),
            Transition("report_result", (_ROUTED,), _OPEN),
            Transition("close", (_OPEN,), CaseState.CLOSED),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    number = models.CharField(_("case number"), max_length=30)
    customer = models.ForeignKey(
        "service.Customer",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("customer"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    opened_at = models.DateTimeField(_("contact time"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN
    )
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    first_response_due = models.DateTimeField(
        _("first response due"),
        null=True,
        blank=True,
        help_text=_("Set when the case waits for its first response: a web lead, no owner (CS-6)"),
    )
    is_lead = models.BooleanField(
        _("sales lead"), default=False, help_text=_("Interested in buying (CS-9)")
    )
    department = models.ForeignKey(
        "service.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("department"),
    )
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    route_note = models.CharField(_("what the department is asked"), max_length=300, blank=True)
    result = models.TextField(_("department's result"), blank=True)
    result_at = models.DateTimeField(_("result back"), null=True, blank=True)
    answer = models.TextField(_("answer to the customer"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("case (工单)")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="service_case_number")
        ]
        indexes = [
            models.Index(fields=["centre", "opened_at", "id"], name="service_case_opened"),
            models.Index(fields=["centre", "state", "opened_at"], name="service_case_state"),
            models.Index(fields=["centre", "owner", "state"], name="service_case_owner"),
            models.Index(fields=["customer", "opened_at"], name="service_case_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class Contact(models.Model):
    """One call, visit or online message (CS-1): time, channel, category and content, with
    the customer and the case it opened or added to. Never changed once written."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    customer = models.ForeignKey(
        "service.Customer",
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("customer"),
    )
    case = models.ForeignKey(
        "service.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("case"),
    )
    at = models.DateTimeField(_("contact time"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    content = models.TextField(_("content"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact (来电/来访记录)")
        verbose_name_plural = _("contacts")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["customer", "at"], name="service_contact_customer"),
            models.Index(fields=["centre", "at"], name="service_contact_centre"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.content[:40]}"
