"""Audit verbs and duty-log texts of customer service, registered in ``apps.ready`` (like
``work/verbs.py``). Each sub-domain adds its own below its heading."""

from django.utils.translation import gettext_lazy as _

VERBS: dict = {
    # follow-ups (CS-3, CS-5)
    "follow_up.create": _("opened a follow-up"),
    "follow_up.done": _("completed a follow-up"),
}
LOG_TEXTS: dict = {}
