"""The complaint part of the intake (听清楚 / 问清楚, CS-4, CS-5) and the reply to the customer
(答复清楚 / 记录清楚, CS-4); ``service.services.complaints`` validates with them, so the intake
page, the case page and the API give the same per-field messages (422 naming the rule)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATE, LOCAL_DATETIME, CentreForm, CentreModelForm
from zhiban.core.timewindow import Kind

from ..models import Complaint, ComplaintKind, ServiceFault

RULE_FACTS = "CS-5"
RULE_REPLY = "CS-4"

# 听清楚: what every complaint needs; 问清楚: what each kind asks besides (CS-5).
HEARD = ("kind", "complained_of", "reason")
PRODUCT_FACTS = ("symptom", "bought_where", "bought_how", "batch_number", "production_date")
SERVICE_FACTS = ("service_fault", "staff")
MARKS = ("major", "bodily_harm")
FACTS_OF_KIND = {
    ComplaintKind.PRODUCT: PRODUCT_FACTS,
    ComplaintKind.SERVICE: SERVICE_FACTS,
    ComplaintKind.OTHER: (),
}
EMPTY = {"production_date": None}


class ComplaintForm(CentreModelForm):
    """The facts of a complaint (CS-5): the complaint object and the reason for all;
    for product quality the symptom, where and how it was bought, the batch number and the
    production date (not in the future, in the centre's window, ORG-4); for service quality
    the fault and, for the attitude of staff, the staff name or number. What a kind does not
    ask is not kept. A missing fact is a message on its field naming CS-5."""

    class Meta:
        model = Complaint
        fields = [*HEARD, *PRODUCT_FACTS, *SERVICE_FACTS, *MARKS]
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "production_date": LOCAL_DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*HEARD, *PRODUCT_FACTS, *SERVICE_FACTS):
            # checked in clean(): the message names the rule (CS-5); a browser's "required"
            # would also stop the intake of a consultation, whose page holds this part hidden
            self.fields[name].required = False
        self.fields["service_fault"].choices = [("", _("Choose the fault")), *ServiceFault.choices]

    def _missing(self, name: str, message) -> None:
        if name not in self.errors:
            self.add_error(name, forms.ValidationError(message, code=RULE_FACTS))

    def clean(self):
        data = super().clean()
        for name in HEARD:
            if not data.get(name) and name not in self.errors:
                self._missing(
                    name,
                    _("Every complaint records what it is about and why (听清楚, %(rule)s).")
                    % {"rule": RULE_FACTS},
                )
        kind = data.get("kind")
        asked = FACTS_OF_KIND.get(kind, ())
        for name in (*PRODUCT_FACTS, *SERVICE_FACTS):
            if name not in asked:
                data[name] = EMPTY.get(name, "")
        if kind == ComplaintKind.PRODUCT:
            for name in PRODUCT_FACTS:
                if data.get(name) in (None, ""):
                    self._missing(
                        name,
                        _(
                            "A product-quality complaint records the symptom, where and how "
                            "it was bought, the batch number and the production date "
                            "(问清楚, %(rule)s)."
                        )
                        % {"rule": RULE_FACTS},
                    )
            made = data.get("production_date")
            if made and made > timezone.localdate(timezone=self.centre.tz):
                self._missing(
                    "production_date",
                    _("The production date cannot lie in the future (%(rule)s).")
                    % {"rule": RULE_FACTS},
                )
        if kind == ComplaintKind.SERVICE:
            if not data.get("service_fault"):
                self._missing(
                    "service_fault",
                    _(
                        "A service-quality complaint says what went wrong: late or short "
                        "delivery, attitude, billing (问清楚, %(rule)s)."
                    )
                    % {"rule": RULE_FACTS},
                )
            if data.get("service_fault") == ServiceFault.ATTITUDE and not data.get("staff"):
                self._missing(
                    "staff",
                    _(
                        "A complaint about attitude names the staff member or their number "
                        "(问清楚, %(rule)s)."
                    )
                    % {"rule": RULE_FACTS},
                )
        return data


class ComplaintReplyForm(CentreForm):
    """答复清楚 / 记录清楚 (CS-4): what was replied to the customer and what was done; solved or
    not; unsolved, the next reply time promised to the customer (ahead of now, within the
    centre's planned window, ORG-4), which becomes a deadline; an unjustified complaint
    (无理投诉) is answered politely and recorded as such, and needs no further reply."""

    time_kinds = {"next_reply_at": Kind.PLANNED}

    reply = forms.CharField(
        label=_("reply to the customer (答复)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    handling = forms.CharField(
        label=_("handling record (处理记录)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    solved = forms.BooleanField(label=_("solved (已解决)"), required=False)
    unjustified = forms.BooleanField(
        label=_("unjustified complaint (无理投诉)"),
        required=False,
        help_text=_("Answered politely and recorded as such; it needs no further reply."),
    )
    next_reply_at = forms.DateTimeField(
        label=_("next reply promised (下次答复时间)"),
        required=False,
        widget=LOCAL_DATETIME,
        help_text=_("Required while the complaint is unsolved."),
    )

    def clean(self):
        data = super().clean()
        for name, message in (
            ("reply", _("Record the reply given to the customer (答复清楚, %(rule)s).")),
            ("handling", _("Record what was done about it (记录清楚, %(rule)s).")),
        ):
            if not (data.get(name) or "").strip() and name not in self.errors:
                self.add_error(
                    name,
                    forms.ValidationError(message % {"rule": RULE_REPLY}, code=RULE_REPLY),
                )
        settled = data.get("solved") or data.get("unjustified")
        promised = data.get("next_reply_at")
        if "next_reply_at" in self.errors:
            return data
        if not settled and promised is None:
            self.add_error(
                "next_reply_at",
                forms.ValidationError(
                    _(
                        "An unsolved complaint needs the next reply time promised to the "
                        "customer (%(rule)s)."
                    )
                    % {"rule": RULE_REPLY},
                    code=RULE_REPLY,
                ),
            )
        elif not settled and promised <= timezone.now():
            self.add_error(
                "next_reply_at",
                forms.ValidationError(
                    _("The next reply promised must lie ahead, not in the past (%(rule)s).")
                    % {"rule": RULE_REPLY},
                    code=RULE_REPLY,
                ),
            )
        if settled:
            data["next_reply_at"] = None
        return data
