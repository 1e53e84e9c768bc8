"""Audit verbs and duty-log texts of customer service, registered in ``apps.ready`` (like
``work/verbs.py``). Each sub-domain adds its own below its heading."""

from django.utils.translation import gettext_lazy as _

from zhiban.duty.logtexts import LogText, choice, listed, moment

from .models import CampaignRule, Category, Channel, ComplaintKind, FollowUpKind

VERBS: dict = {
    # customers, contacts and cases (CS-1, CS-2, CS-6)
    "customer.create": _("added a customer"),
    "customer.update": _("changed a customer"),
    "contact.record": _("recorded a customer contact"),
    "case.open": _("opened a case"),
    "case.add_contact": _("added a contact to a case"),
    "case.take": _("took a case from the queue"),
    "case.respond": _("gave a case its first response"),
    "case.transfer": _("handed a case over to another agent"),
    "case.route": _("routed a case to a department"),
    "case.result": _("recorded a department's result on a case"),
    "case.close": _("closed a case"),
    "department.create": _("added a department"),
    "department.update": _("changed a department"),
    # the hotline's calls (CS-1, CS-6)
    "call.ring": _("received a call from the telephone system"),
    "call.answer": _("recorded a call answered"),
    "call.hang_up": _("recorded a call ended"),
    "call.called_back": _("settled missed calls by a later answered call"),
    "call.take": _("took a missed call to call back"),
    "call.link_case": _("recorded a call on a case"),
    # follow-ups (CS-3, CS-5)
    "follow_up.create": _("opened a follow-up"),
    "follow_up.done": _("completed a follow-up"),
    # complaints (CS-4, CS-5)
    "complaint.open": _("recorded a complaint"),
    "complaint.report": _("reported a complaint at once"),
    "complaint.reply": _("recorded a reply to a complaint"),
    # return-visit campaigns, call lists and offers (CS-7, CS-9)
    "campaign.create": _("created a return-visit campaign"),
    "campaign.finish": _("finished a return-visit campaign"),
    "campaign_member.call": _("recorded a return-visit call"),
    "campaign_member.reassign": _("moved a call-list entry to another agent"),
    "campaign_member.offer": _("recorded a follow-up offer and who approved it"),
    "agent_skill.add": _("gave an agent a skill"),
    "agent_skill.remove": _("took a skill from an agent"),
    # surveys (CS-8)
    "survey.question_add": _("added a survey question"),
    "survey.question_update": _("changed a survey question"),
    "survey.question_remove": _("removed a survey question"),
    "survey.answers": _("recorded survey answers"),
    # orders and the day's hand-over to the sales desks (CS-3)
    "service_order.take": _("took an order"),
    "service_order.hand": _("handed an order to its sales desk"),
    "service_order.deliver": _("recorded an order delivered"),
    "service_order.cancel": _("cancelled a customer order"),
    "order_handoff.open": _("opened the next order hand-over"),
    "order_handoff.done": _("handed the day's orders to the sales desks"),
    "order_handoff.drop": _("dropped an order hand-over with no orders left"),
    # scripts (CS-11)
    "script.create": _("added a script"),
    "script.update": _("changed a script"),
    "script.retire": _("retired a script"),
    "script.reactivate": _("put a script back in use"),
    # monthly customer records and spot checks (CS-10)
    "customer_import.create": _("imported a shop's customer records"),
    "spot_check.create": _("recorded a spot check"),
}
# what the hand-over's audit event notes beside its fields (CS-3)
ORDER_LABELS: dict = {
    "handed_orders": _("orders handed to each sales desk"),
    "emailed_to": _("e-mailed to"),
}
# what the surveys' audit events record beside a record's own fields (CS-8)
SURVEY_LABELS: dict = {"survey_answers": _("survey answers")}

# what a customer records import's audit event notes beside its fields (CS-10)
RECORDS_LABELS: dict = {"changed_customers": _("customers changed (before → after)")}

# what the return visits' audit events note beside their fields (CS-7)
CAMPAIGN_LABELS: dict = {
    "members": _("customers selected"),
    "per_agent": _("customers per agent"),
    "visited": _("visited"),
    "call": _("return-visit call"),
    "in_rest_hours": _("inside rest hours"),
}
LOG_TEXTS: dict = {
    # return-visit campaigns (CS-7)
    "campaign.create": LogText(
        _(
            "Return-visit campaign %(name)s started: %(count)s customers (%(rule)s) for "
            "%(agents)s, due %(due)s"
        ),
        {"rule": choice(CampaignRule), "agents": listed, "due": moment()},
    ),
    "campaign.finish": LogText(
        _("Return-visit campaign %(name)s finished: %(done)s of %(count)s customers visited")
    ),
    # the hotline's calls (CS-6)
    "call.take": LogText(
        _("Missed call from %(number)s at %(at)s taken to call back"), {"at": moment("%H:%M")}
    ),
    # customers, contacts and cases (CS-1, CS-2, CS-6)
    "case.open": LogText(
        _("Case %(number)s opened: %(category)s from %(customer)s by %(channel)s: %(subject)s"),
        {"category": choice(Category), "channel": choice(Channel)},
    ),
    "case.contact": LogText(
        _("Case %(number)s: %(customer)s again by %(channel)s: %(subject)s"),
        {"channel": choice(Channel)},
    ),
    "case.take": LogText(_("Case %(number)s taken from the queue by %(person)s")),
    "case.transfer": LogText(_("Case %(number)s handed over from %(from)s to %(to)s: %(reason)s")),
    "case.route": LogText(_("Case %(number)s routed to %(department)s: %(note)s")),
    "case.result": LogText(_("Case %(number)s: %(department)s reported back: %(result)s")),
    "case.close": LogText(_("Case %(number)s closed: %(answer)s")),
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
    # orders and the day's hand-over to the sales desks (CS-3)
    "order_handoff.done": LogText(
        _("Day's orders handed to the sales desks: %(desks)s (%(total)s in all)"),
        {"desks": listed},
    ),
    "order_handoff.done_late": LogText(
        _(
            "Day's orders handed to the sales desks after the hand-over time %(due)s: "
            "%(desks)s (%(total)s in all)"
        ),
        {"desks": listed, "due": moment()},
    ),
}
