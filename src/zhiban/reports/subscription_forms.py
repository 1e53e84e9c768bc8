"""The subscription form (RPT-1): services validate with it, so the page and the API give the
same per-field messages (422). An e-mail goes to an address, a chat robot to its webhook."""

from __future__ import annotations

from django import forms
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreModelForm
from zhiban.core.models import Channel

from .models import Subscription

_EMAIL = EmailValidator()
_URL = URLValidator(schemes=["http", "https"])


class SubscriptionForm(CentreModelForm):
    person_fields = ("person",)

    class Meta:
        model = Subscription
        fields = ["report", "channel", "target", "person", "active"]
        labels = {"target": _("address")}
        help_texts = {
            "target": _("An e-mail address, or a chat robot's webhook address (RPT-1)."),
            "person": _("Who reads it, if one person does; told when it cannot be delivered."),
        }

    def clean(self):
        data = super().clean()
        channel, target = data.get("channel"), (data.get("target") or "").strip()
        if channel and target:
            data["target"] = target
            try:
                (_EMAIL if channel == Channel.EMAIL else _URL)(target)
            except forms.ValidationError:
                message = (
                    _("Give an e-mail address (RPT-1).")
                    if channel == Channel.EMAIL
                    else _("Give the robot's webhook address, http:// or https:// (RPT-1).")
                )
                self.add_error("target", forms.ValidationError(message, code="RPT-1"))
                return data
            same = Subscription.objects.filter(
                centre=self.centre, report=data.get("report"), channel=channel, target=target
            ).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "target",
                    forms.ValidationError(
                        _("This address already receives this report (RPT-1)."), code="RPT-1"
                    ),
                )
        return data
