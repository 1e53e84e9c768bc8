"""How power operations' actions read in the audit trail (core.verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "order.receive": _("received a pre-order"),
    "order.notify_team": _("passed an order to the team"),
    "order.question": _("recorded a question about an order"),
    "order.formal": _("recorded the formal order"),
    "order.finish": _("finished an order"),
    "order.cancel": _("cancelled an order"),
    "ticket.create": _("filled an operation ticket"),
    "ticket.update": _("changed an operation ticket"),
    "ticket.review": _("reviewed an operation ticket"),
    "ticket.return": _("returned a ticket to its filler"),
    "ticket.order": _("recorded the order to operate"),
    "ticket.notify_centre": _("recorded the call to the centre"),
    "ticket.tick": _("ticked a step"),
    "ticket.void": _("voided a ticket"),
    "ticket.terminate": _("terminated a ticket"),
    "ticket.follow_up": _("opened the follow-up field ticket"),
    "ticket.note": _("reported an anomaly"),
    "ticket.interrupt": _("interrupted a sequence control"),
    "ticket.consent": _("recorded the dispatcher's consent"),
    "ticket.abort": _("recorded the dispatcher's abort"),
    "ticket.assess": _("assessed a ticket"),
    "ticket.energise_override": _("overrode the interlock of tagged equipment"),
    "typical_ticket.create": _("added a typical ticket"),
    "typical_ticket.update": _("changed a typical ticket"),
    "lock.place": _("locked equipment"),
    "lock.release": _("released a lock"),
    "single_operation.record": _("recorded a single operation"),
}

# What the services record beside a ticket's fields (core.verbs.register).
LABELS = {
    "overridden": _("interlock overridden for (强制解锁)"),
}
