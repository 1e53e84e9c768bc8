"""How power operations' actions read in the audit trail (core.verbs), and the texts of the
entries they write in the duty log (duty.logtexts, DUTY-7)."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText, choice

from .models import Interruption

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

LOG_TEXTS = {
    "order.receive": LogText(_("Pre-order from %(dispatcher)s: %(task)s (task ticket %(number)s)")),
    "order.notify_team": LogText(_("%(number)s passed to %(team)s (%(person)s read it back)")),
    "order.formal": LogText(_("Formal order for %(number)s received by %(person)s")),
    "ticket.create": LogText(_("%(number)s filled: %(task)s")),
    "ticket.review": LogText(_("%(number)s reviewed (filled by %(person)s)")),
    "ticket.order": LogText(_("%(number)s ordered by %(issuer)s, received by %(receiver)s")),
    "ticket.notify_centre": LogText(
        _("%(caller)s told the centre before operating %(number)s; the centre consents")
    ),
    "ticket.tick": LogText(_("%(number)s step %(n)s: %(text)s (operator %(op)s, guardian %(g)s)")),
    "ticket.complete": LogText(_("%(number)s completed: %(task)s")),
    "ticket.void": LogText(_("%(number)s voided: %(reason)s")),
    "ticket.terminate": LogText(_("%(number)s terminated: %(reason)s")),
    "ticket.note": LogText(_("%(number)s anomaly: %(text)s")),
    "ticket.interrupt": LogText(
        _(
            "%(number)s sequence control interrupted (%(cause)s): %(reason)s. Reported to "
            "dispatcher %(dispatcher)s. Device state: %(state)s. Forwarded to %(team)s as "
            "%(follow)s."
        ),
        {"cause": choice(Interruption)},
    ),
    "ticket.energise_override": LogText(
        _("%(number)s: interlock overridden by %(person)s for %(held)s: %(reason)s (WORK-3)")
    ),
    "lock.place": LogText(_("%(equipment)s locked: %(reason)s")),
    "lock.release": LogText(_("%(equipment)s lock released")),
    "single_operation.record": LogText(_("Single operation: %(equipment)s %(action)s")),
}
