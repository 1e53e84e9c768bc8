"""The point table upload (ACC-2): the .xlsx file and the version of the sheet it goes into."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreForm


class PointTableForm(CentreForm):
    """A new station's four-remote point table, replacing the sheet's points (ACC-2)."""

    file = forms.FileField(
        label=_("point table (.xlsx)"),
        required=False,  # the reader names a missing file as a problem of the table (ACC-2)
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_(
            "The telecontrol team's four-remote table (四遥信息表); every row is checked, and "
            "if any is wrong nothing is imported (ACC-2)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
