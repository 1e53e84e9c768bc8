"""Audit verbs and duty-log texts of customer service, registered in ``apps.ready`` (like
``work/verbs.py``). Each sub-domain adds its own below its heading."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText, choice, listed, moment

from .models import ComplaintKind, FollowUpKind

VERBS: dict = {
    # follow-ups (CS-3, CS-5)
    "follow_up.create": _("opened a follow-up"),
    "follow_up.done": _("completed a follow-up"),
    # complaints (CS-4, CS-5)
    "complaint.open": _("recorded a complaint"),
    "complaint.report": _("reported a complaint at once"),
    "complaint.reply": _("recorded a reply to a complaint"),
}
LOG_TEXTS: dict = {
    # follow-ups (CS-3, CS-5)
    "follow_up.create": LogText(
        _("%(kind)s for %(number)s due %(due)s"),
        {"kind": choice(FollowUpKind), "due": moment()},
    ),
    "follow_up.done": LogText(
        _("%(kind)s for %(number)s done: %(result)s"), {"kind": choice(FollowUpKind)}
    ),
    # complaints (CS-4, CS-5)
    "complaint.open": LogText(
        _("Complaint %(number)s from %(customer)s (%(kind)s) about %(object)s: %(reason)s"),
        {"kind": choice(ComplaintKind)},
    ),
    "complaint.report": LogText(
        _("Complaint %(number)s reported at once to %(people)s"), {"people": listed}
    ),
    "complaint.reply_solved": LogText(_("Complaint %(number)s answered and solved: %(reply)s")),
    "complaint.reply_unjustified": LogText(
        _("Complaint %(number)s answered as unjustified (无理投诉): %(reply)s")
    ),
    "complaint.reply_pending": LogText(
        _("Complaint %(number)s answered, not yet solved; next reply promised %(next)s: %(reply)s"),
        {"next": moment()},
    ),
}
