"""How duty's actions read in the audit trail (core.verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "shift_pattern.create": _("added a shift pattern"),
    "shift_pattern.update": _("changed a shift pattern"),
    "roster.assign": _("put on the roster"),
    "roster.remove": _("took off the roster"),
    "roster.copy_week": _("copied a week of the roster"),
    "roster.swap": _("changed places (swap)"),
    "roster.sign_in": _("signed in"),
    "roster.sign_out": _("signed out"),
    "swap.request": _("asked for a swap"),
    "swap.approved": _("approved a swap"),
    "swap.rejected": _("rejected a swap"),
    "check_item.create": _("added a handover check item"),
    "check_item.update": _("changed a handover check item"),
    "handover.prepare": _("prepared the handover"),
    "handover.refresh": _("gathered the handover again"),
    "handover.notes": _("wrote handover notes"),
    "handover.check": _("checked a shared item"),
    "handover.offer": _("signed as outgoing side"),
    "handover.accept": _("signed and took over"),
    "handover_item.acknowledge": _("acknowledged an item"),
    "handover_item.mark_unclear": _("marked an item unclear"),
    "handover_item.clarify": _("clarified an item"),
    "carried_item.open": _("opened a carried-over item"),
    "carried_item.close": _("closed a carried-over item"),
    "log.write": _("wrote in the duty log"),
    "weather.start": _("switched severe-weather mode on"),
    "weather.confirm": _("confirmed on post"),
    "weather.end": _("switched severe-weather mode off"),
}
