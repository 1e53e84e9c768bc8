"""The handover record as PDF (RPT-3): WeasyPrint with Debian's Noto CJK fonts embedded, so
the Chinese prints on any machine. Times are the centre's."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .models import RosterEntry


def handover_pdf(handover) -> bytes:
    from weasyprint import HTML

    centre = handover.centre
    with timezone.override(centre.tz):
        html = render_to_string(
            "duty/handover_pdf.html",
            {
                "handover": handover,
                "centre": centre,
                "items": handover.items.select_related("acknowledged_by"),
                "checks": handover.checks.select_related("check_item"),
                "people": {
                    "out": RosterEntry.objects.filter(shift=handover.outgoing_shift).select_related(
                        "person"
                    ),
                    "in": RosterEntry.objects.filter(shift=handover.incoming_shift).select_related(
                        "person"
                    ),
                },
                "printed": timezone.now(),
            },
        )
    return HTML(string=html).write_pdf()
