"""How work tickets' actions read in the audit trail (core.verbs), and the labels their records
had before they left ``ops`` (ADR 0012): old audit events keep "ops.workticket" etc."""

from django.utils.translation import gettext_lazy as _

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
