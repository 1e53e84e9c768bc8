"""The order part of the intake (CS-3). PLACEHOLDER until the orders work lands."""

from django import forms

from ..models import Order


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["product", "spec", "quantity", "unit_price", "address", "region"]
