"""Reports on the console (RPT-4): the centre's key figures of today and of this month as
charts with the numbers beside them, refreshed live and at least every minute. Each centre
kind shows its own apps' figures (``reports.figures.app_figures`` chooses them)."""

from __future__ import annotations

from zhiban.core.console import Panel
from zhiban.core.permissions import Action
from zhiban.core.scoping import can

from .selectors.dashboards import centre_dashboard


def figures(request, centre) -> dict | None:
    """The panel; hidden from those who may not read the centre's reports."""
    if not can(request.user, Action.REPORT_VIEW, centre):
        return None
    return {"dashboard": centre_dashboard(centre)}


PANELS = [Panel("figures", "reports/panels/figures.html", figures, order=50, width="col-12")]
