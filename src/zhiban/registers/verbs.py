"""Audit verbs and field labels of the registers, registered in ``apps.ready``. Each register
adds its own below its heading."""

from django.utils.translation import gettext_lazy as _

VERBS: dict = {
    # visitors (REG-1)
    "visitor.create": _("recorded a visitor"),
    "visitor.approve": _("approved a visitor's entry"),
    "visitor.refuse": _("refused a visitor's entry"),
    "visitor.arrive": _("recorded a visitor's arrival"),
    "visitor.leave": _("recorded a visitor leaving"),
    # footage access (REG-2)
    "footage_request.create": _("requested access to recorded video"),
    "footage_request.approve": _("approved a footage access request"),
    "footage_request.refuse": _("refused a footage access request"),
    "footage_access.view": _("viewed recorded video"),
    "footage_access.copy": _("copied recorded video"),
    "footage_access.download": _("downloaded recorded video"),
    # big-screen and remote-operation use (REG-9)
    "screen_use.create": _("recorded a big-screen or remote-operation use"),
    "screen_use.approve": _("approved a big-screen or remote-operation use"),
    "screen_use.refuse": _("refused a big-screen or remote-operation use"),
    # wake-up calls (REG-7)
    "wake_up_call.create": _("booked a wake-up call"),
    "wake_up_call.attempt": _("recorded a wake-up call made"),
    "wake_up_call.attendant": _("recorded the floor attendant sent to the room"),
    # do-not-disturb check (REG-8)
    "dnd_check.create": _("listed a room showing do-not-disturb"),
    "dnd_check.call": _("recorded the call to a do-not-disturb room"),
    "dnd_check.outcome": _("recorded what was found in a do-not-disturb room"),
    # phone messages (REG-3), lending (REG-4), lost and found (REG-5), repairs (REG-6)
    "phone_message.create": _("recorded a phone message"),
    "phone_message.done": _("recorded what was done about a phone message"),
    "loan.create": _("lent an item"),
    "loan.return": _("recorded an item returned"),
    "found_item.create": _("recorded a found item"),
    "found_item.hand_back": _("handed back a found item"),
    "repair.create": _("recorded an equipment fault"),
    "repair.done": _("recorded a repair's result"),
}

# what an access adds to its request's timeline (REG-2)
LABELS: dict = {
    "access": _("access record"),
    "access_kind": _("access"),
    "access_at": _("access time"),
    "access_by": _("accessed by"),
    "access_note": _("access note"),
    "attempt": _("call made"),
}
