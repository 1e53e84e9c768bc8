"""Orders (订货, CS-3): the order part of the intake, a delivery reported by the sales desk and
a cancellation. ``service.services.orders`` validates with them, so the intake page, the order
pages and the API give the same per-field messages (422 naming CS-3)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreForm, CentreModelForm

from ..models import Order

RULE = "CS-3"
# The intake page renders the order part with this prefix beside the contact's own fields;
# ``intake_data`` reads it back.
PREFIX = "order"
ASKED = ("product", "quantity", "unit_price")


class OrderForm(CentreModelForm):
    """What an order records (CS-3): product, spec, quantity (more than 0), unit price (0 or
    more), delivery address and region — both the customer's when left empty. A missing or
    wrong value is a message on its field naming CS-3."""

    class Meta:
        model = Order
        fields = ["product", "spec", "quantity", "unit_price", "address", "region"]
        widgets = {
            "quantity": forms.NumberInput(attrs={"min": "0.01", "step": "any"}),
            "unit_price": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
        }

    def __init__(self, *args, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        for name in self.fields:
            # checked in clean(): the message names the rule (CS-3); a browser's "required"
            # would also stop the intake of a consultation, whose page holds this part hidden
            self.fields[name].required = False
        self.fields["address"].help_text = _("Empty: the customer's address")
        self.fields["region"].help_text = _("Empty: the customer's region")

    def _refuse(self, name: str, message) -> None:
        if name not in self.errors:
            self.add_error(name, forms.ValidationError(message, code=RULE))

    def clean(self):
        data = super().clean()
        for name in ASKED:
            if data.get(name) in (None, "") and name not in self.errors:
                self._refuse(
                    name,
                    _("An order records the product, the quantity and the price (%(rule)s).")
                    % {"rule": RULE},
                )
        quantity, price = data.get("quantity"), data.get("unit_price")
        if quantity is not None and quantity <= 0:
            self._refuse(
                "quantity", _("The quantity must be more than 0 (%(rule)s).") % {"rule": RULE}
            )
        if price is not None and price < Decimal(0):
            self._refuse(
                "unit_price", _("The unit price cannot be below 0 (%(rule)s).") % {"rule": RULE}
            )
        customer = self.customer
        for name in ("address", "region"):
            if not (data.get(name) or "").strip() and customer is not None:
                data[name] = getattr(customer, name)
        if not (data.get("address") or "").strip():
            self._refuse(
                "address",
                _("Give the delivery address: the customer has none on record (%(rule)s).")
                % {"rule": RULE},
            )
        return data


def intake_data(post) -> dict:
    """The order part of a submitted intake page (fields prefixed ``order-``) as the change
    set ``order_take`` takes."""
    return {
        name: field.widget.value_from_datadict(post, None, f"{PREFIX}-{name}")
        for name, field in OrderForm.base_fields.items()
    }


class DeliverForm(CentreForm):
    """The sales desk reports the delivery (CS-3): when — not before the order was taken,
    inside the centre's window (ORG-4). The return visits count from it (CS-7)."""

    delivered_at = forms.DateTimeField(
        label=_("delivered"), required=False, widget=LOCAL_DATETIME, help_text=_("Empty: now")
    )

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order

    def clean_delivered_at(self):
        at = self.cleaned_data.get("delivered_at") or timezone.now()
        if self.order is not None and at < self.order.taken_at:
            raise forms.ValidationError(
                _("The delivery cannot be before the order was taken (%(rule)s).") % {"rule": RULE},
                code=RULE,
            )
        return at


class CancelForm(CentreForm):
    """Why the order is cancelled (CS-3)."""

    reason = forms.CharField(
        label=_("reason for cancelling"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_reason(self):
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(
                _("Say why the order is cancelled (%(rule)s).") % {"rule": RULE}, code=RULE
            )
        return reason
