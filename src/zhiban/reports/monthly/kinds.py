"""The builder of each centre kind's monthly report (RPT-1): the power centre's, the security
room's, the customer-service centre's and the hotel desk's; a kind without its own (an
engineering department) gets the duty section every centre keeps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.duty import selectors as duty_selectors
from zhiban.org.models import CentreKind

from . import Builder, Section, TableData, hotel, power, security, service


def duty_section(centre, start, end) -> Section:
    """The duty log, handovers and sign-ins of the period (DUTY-2 … DUTY-6), as figures and
    their table."""
    figures = duty_selectors.period_figures(centre=centre, start=start, end=end)
    table = TableData(
        "duty",
        _("Duty"),
        [_("Figure"), _("Value")],
        [[f.label, f.value] for f in figures],
    )
    return Section("duty", _("Duty"), figures=figures, tables=[table])


def duty_only(centre, start, end) -> list[Section]:
    return [duty_section(centre, start, end)]


KINDS: dict[str, Builder] = {
    CentreKind.POWER: power.build,
    CentreKind.SECURITY: security.build,
    CentreKind.CUSTOMER_SERVICE: service.build,
    CentreKind.HOUSEKEEPING: hotel.build,
    CentreKind.ENGINEERING: duty_only,
}


def builder_for(centre) -> Builder:
    return KINDS.get(centre.kind, duty_only)
