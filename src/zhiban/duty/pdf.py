"""The handover record as PDF (RPT-3): WeasyPrint with Debian's Noto CJK fonts embedded, so
the Chinese prints on any machine. Times are the centre's."""

from __future__ import annotations

from zhiban.core.pdf import render_pdf

from .models import RosterEntry


def handover_pdf(handover) -> bytes:
    centre = handover.centre
    return render_pdf(
        "duty/handover_pdf.html",
        {
            "handover": handover,
            "centre": centre,
            "items": handover.items.select_related("acknowledged_by", "handed_over_by"),
            "checks": handover.checks.select_related("check_item"),
            "people": {
                "out": RosterEntry.objects.filter(shift=handover.outgoing_shift).select_related(
                    "person"
                ),
                "in": RosterEntry.objects.filter(shift=handover.incoming_shift).select_related(
                    "person"
                ),
            },
        },
        tz=centre.tz,
    )
