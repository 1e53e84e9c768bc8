"""The footage-access request and the access record (REG-2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreForm, CentreModelForm
from zhiban.core.timewindow import Kind
from zhiban.org.models import Equipment, EquipmentKind, Site

from ..models import AccessKind, FootageRequest
from .common import ordered

RULE = "REG-2"
CAMERA_KINDS = (EquipmentKind.CAMERA, EquipmentKind.DOME_CAMERA, EquipmentKind.DVR)


class FootageRequestForm(CentreModelForm):
    """Who asks, why, where, which camera, the footage's span and the access window."""

    # the footage may be a month old (its retention); the access window is planned
    time_kinds = {
        "span_from": Kind.CALENDAR,
        "span_until": Kind.CALENDAR,
        "window_from": Kind.PLANNED,
        "window_until": Kind.PLANNED,
    }

    class Meta:
        model = FootageRequest
        fields = [
            "requester_name",
            "requester_unit",
            "reason",
            "site",
            "camera",
            "span_from",
            "span_until",
            "window_from",
            "window_until",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 2}),
            "span_from": LOCAL_DATETIME,
            "span_until": LOCAL_DATETIME,
            "window_from": LOCAL_DATETIME,
            "window_until": LOCAL_DATETIME,
        }
        help_texts = {
            "window_until": _(
                "Viewing, copying or downloading is recorded only inside this window, after the "
                "department leader approved (REG-2). Requests and accesses are never deleted."
            ),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=centre, active=True)
        self.fields["camera"].queryset = Equipment.objects.filter(
            centre=centre, kind__in=CAMERA_KINDS
        ).select_related("site")

    def clean(self):
        data = super().clean()
        ordered(self, "span_from", "span_until", RULE)
        ordered(self, "window_from", "window_until", RULE)
        site, camera = data.get("site"), data.get("camera")
        if site and camera and not _within(camera.site, site):
            self.add_error(
                "camera",
                forms.ValidationError(
                    _("The camera is not at %(site)s (%(rule)s).") % {"site": site, "rule": RULE},
                    code=RULE,
                ),
            )
        return data


def _within(place: Site, site: Site) -> bool:
    """The camera's place is the site or lies under it."""
    return place.pk == site.pk or (
        bool(site.tree_path) and place.tree_path.startswith(site.tree_path)
    )


class FootageAccessForm(CentreForm):
    """One viewing, copy or download (REG-2); the time is now when left empty."""

    kind = forms.ChoiceField(label=_("access"), choices=AccessKind.choices)
    at = forms.DateTimeField(label=_("time"), required=False, widget=LOCAL_DATETIME)
    note = forms.CharField(
        label=_("note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
