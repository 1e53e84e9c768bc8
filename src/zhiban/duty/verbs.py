"""How duty's actions read in the audit trail (core.verbs), and the texts of the entries duty
writes in its own log (duty.logtexts, DUTY-7)."""

from django.utils.translation import gettext_lazy as _

from .logtexts import LogText, choice, moment
from .models import WeatherKind

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
    "handover_item.hand_over_running": _("handed an incident over as running"),
    "carried_item.open": _("opened a carried-over item"),
    "carried_item.close": _("closed a carried-over item"),
    "log.write": _("wrote in the duty log"),
    "weather.start": _("switched severe-weather mode on"),
    "weather.confirm": _("confirmed on post"),
    "weather.end": _("switched severe-weather mode off"),
}


# PAT-5's lines written before the centre's own patrol became a patrol plan (patrols app,
# issue 13) are kept in the log with this verb: its text stays so they still render.
PATROL_WORDS = {"normal": _("normal"), "abnormal": _("abnormal")}
CENTRE_PATROL_ITEMS = [
    ("screens", _("Monitoring screens (画面)")),
    ("ups", _("UPS of the monitoring computers")),
    ("hosts", _("Monitoring hosts (主机)")),
    ("vqc", _("VQC system")),
    ("video", _("Video system (视频系统)")),
]


def _patrol_results(results: dict) -> str:
    """PAT-5: each item of an old centre patrol line with its result, in the reader's
    language."""
    return "；".join(
        f"{label}{PATROL_WORDS.get(results[key], results[key])}"
        for key, label in CENTRE_PATROL_ITEMS
        if key in results
    )


LOG_TEXTS = {
    "handover_item.hand_over_running": LogText(
        _("“%(item)s” handed over as running: %(who)s on it, expected to end %(at)s."),
        {"at": moment("%m-%d %H:%M")},
    ),
    "handover.accept": LogText(_("Handover %(out)s → %(inc)s signed by %(a)s and %(b)s.")),
    "weather.start": LogText(
        _("Severe-weather mode on (%(kind)s): %(reason)s"), {"kind": choice(WeatherKind)}
    ),
    "weather.confirm": LogText(
        _("%(person)s on post%(where)s."), {"where": lambda where: f"（{where}）" if where else ""}
    ),
    "weather.end": LogText(_("Severe-weather mode off.")),
    "centre_patrol.record": LogText(  # old lines only: no service writes it any more
        _("Centre patrol: %(results)s%(note)s"),
        {"results": _patrol_results, "note": lambda note: f"。{note}" if note else ""},
    ),
}
