"""How work tickets' actions read in the audit trail (core.verbs), and the labels their records
had before they left ``ops`` (ADR 0012): old audit events keep "ops.workticket" etc.; and the
texts of the entries they write in the duty log (duty.logtexts, DUTY-7)."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText, choice, listed, moment

from .models import CheckResult, LimitReason, RemoteKind

VERBS = {
    "work.receive": _("received a work ticket"),
    "work.update": _("changed a work ticket"),
    "work.measure": _("ticked a safety measure done"),
    "work.permit": _("recorded the work permit"),
    "work.tag": _("placed the maintenance tag"),
    "work.interrupt": _("recorded an interruption of the work"),
    "work.resume": _("recorded the work resumed"),
    "work.extend": _("extended a work ticket"),
    "work.remote_check": _("recorded a four-remote check"),
    "work.work_end": _("recorded the work end"),
    "work.untag": _("removed the maintenance tag"),
    "work.final_check": _("recorded the final check with the centre"),
    "work.end": _("ended a work ticket"),
    "work.void": _("voided a work ticket"),
    "limit.record": _("recorded a limit change"),
    "limit.apply": _("set a limit in the monitoring system"),
    "setting_sheet.create": _("added a setting sheet"),
    "setting_sheet.update": _("changed a setting sheet"),
    "setting_sheet.receive": _("recorded a setting sheet copy received"),
}

# The audit events written before the split name their record by its former label.
FORMER_LABELS = {
    f"ops.{model}": f"work.{model}"
    for model in (
        "workticket",
        "worksafetymeasure",
        "workinterruption",
        "maintenancetag",
        "remotecheck",
        "limitchange",
        "settingsheet",
        "settingsheetcopy",
    )
}

LOG_TEXTS = {
    "work.receive": LogText(
        _("Work ticket %(number)s received by %(team)s: %(task)s (work leader %(leader)s)")
    ),
    "work.permit": LogText(
        _(
            "%(number)s work permitted (开工) by %(dispatcher)s, permitter %(permitter)s, "
            "work leader %(leader)s; safety measures done, %(person)s told"
        )
    ),
    "work.tag": LogText(_("Maintenance tag placed on %(equipment)s (%(number)s)")),
    "work.interrupt": LogText(_("%(number)s work interrupted: %(reason)s")),
    "work.resume": LogText(_("%(number)s work resumed")),
    "work.extend": LogText(_("%(number)s extended to %(to)s: %(reason)s"), {"to": moment()}),
    "work.remote_check": LogText(
        _("%(number)s %(kind)s with %(checker)s: %(points)s — %(result)s"),
        {"kind": choice(RemoteKind), "points": listed, "result": choice(CheckResult)},
    ),
    "work.work_end": LogText(_("%(number)s work ended (报竣工): %(task)s; accepted by %(by)s")),
    "work.untag": LogText(_("Maintenance tag removed from %(equipment)s (%(number)s)")),
    "work.final_check": LogText(
        _("%(number)s checked with %(person)s before leaving the station: %(checked)s")
    ),
    "work.end": LogText(_("Work ticket %(number)s ended")),
    "work.void": LogText(_("Work ticket %(number)s voided: %(reason)s")),
    "limit_change.record": LogText(
        _(
            "%(equipment)s %(reason)s: %(quantity)s %(old)s → %(new)s %(unit)s, "
            "told to the centre by %(person)s"
        ),
        {"reason": choice(LimitReason)},
    ),
    "limit_change.set": LogText(
        _("New limit of %(equipment)s set in the monitoring system: %(quantity)s %(new)s %(unit)s")
    ),
}
