"""Orders (订货) taken on a case and handed to the sales desks by 10:00 (CS-3).

The centre's next hand-over (``OrderHandoff`` with ``at`` empty) is opened by the first new
order after the previous one, due at ``service.order_handoff_time`` — today's, or tomorrow's
when the order came after it — with a foundation deadline that warns and escalates. The group
lead's hand-over fills it in: when, by whom, how many orders went to which desk, late or not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel

from .customers import CustomerType


class OrderState(models.TextChoices):
    NEW = "new", _("New (待分派)")
    HANDED = "handed", _("With the sales desk (已交销售)")
    DELIVERED = "delivered", _("Delivered (已送达)")
    OUT_OF_AREA = "out_of_area", _("Outside the sales area (超出销售区域)")
    CANCELLED = "cancelled", _("Cancelled (已取消)")


class Order(VersionedModel):
    """One order (CS-3): product, spec, quantity, price and delivery address. The group lead
    hands the day's new orders to the sales desks by customer type in one action; an address
    outside the centre's sales area is not handed on, and an apology call is due instead."""

    FLOW = Flow(
        "service_order",
        OrderState,
        initial=OrderState.NEW,
        rule="CS-3",
        transitions=[
            Transition("hand", (OrderState.NEW,), OrderState.HANDED),
            Transition("deliver", (OrderState.HANDED,), OrderState.DELIVERED),
            Transition("cancel", (OrderState.NEW, OrderState.HANDED), OrderState.CANCELLED),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    number = models.CharField(_("order number"), max_length=30)
    case = models.ForeignKey(
        "service.Case", on_delete=models.PROTECT, related_name="orders", verbose_name=_("case")
    )
    customer = models.ForeignKey(
        "service.Customer",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )
    product = models.CharField(_("product"), max_length=60)
    spec = models.CharField(_("spec"), max_length=60, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    address = models.CharField(_("delivery address"), max_length=200)
    region = models.CharField(_("region"), max_length=40, blank=True)
    customer_type = models.CharField(
        _("customer type"), max_length=10, choices=CustomerType.choices
    )
    state = models.CharField(
        _("state"), max_length=12, choices=OrderState.choices, default=OrderState.NEW
    )
    desk = models.ForeignKey(
        "service.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("sales desk"),
    )
    handoff = models.ForeignKey(
        "service.OrderHandoff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("hand-over"),
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    taken_at = models.DateTimeField(_("order taken"))
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("order (订货)")
        verbose_name_plural = _("orders")
        ordering = ["-taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="service_order_number")
        ]
        indexes = [
            models.Index(fields=["centre", "state", "taken_at"], name="service_order_state"),
            models.Index(fields=["centre", "delivered_at"], name="service_order_delivered"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.product} × {self.quantity:f}"


class OrderHandoff(models.Model):
    """CS-3: the centre's hand-over of the day's orders to the sales desks, due at
    ``due_at`` (the hand-over time). While ``at`` is empty it is the next one, waiting for
    the group lead (one per centre); then it says when and by whom it was done, whether after
    the hand-over time, and how many orders went to which desk (``counts``: desk name →
    number)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    due_at = models.DateTimeField(_("hand-over time"))
    at = models.DateTimeField(_("handed over"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    late = models.BooleanField(_("after the hand-over time"), default=False)
    counts = models.JSONField(_("orders per desk"), default=dict)

    class Meta:
        verbose_name = _("order hand-over (订单交接)")
        verbose_name_plural = _("order hand-overs")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre"], condition=Q(at__isnull=True), name="service_handoff_next"
            )
        ]

    def __str__(self) -> str:
        return f"{_('order hand-over (订单交接)')} {timezone.localtime(self.due_at):%Y-%m-%d %H:%M}"
