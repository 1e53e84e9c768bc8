"""The one door for writes to duty, one module per sub-domain.

- ``roster``: shift patterns, the roster and swaps (DUTY-1), sign-in and sign-out (DUTY-2,
  DUTY-5).
- ``handover``: the handover (DUTY-3 … DUTY-5, DUTY-10) and its items, a long incident handed
  over as running (DUTY-10), carried-over items and the centre's handover check items.
- ``log``: the duty log (DUTY-6 … DUTY-8);
  ``log_write`` is the service other capabilities call to write their entries (DUTY-7).
- ``weather``: severe-weather mode (DUTY-9).
"""

from .handover import (
    carried_item_close,
    carried_item_open,
    check_item_create,
    check_item_update,
    current_shift,
    handover_accept,
    handover_check,
    handover_item_acknowledge,
    handover_item_clarify,
    handover_item_hand_over_running,
    handover_item_mark_unclear,
    handover_offer,
    handover_prepare,
    handover_refresh,
    handover_write_notes,
    next_shift,
)
from .log import log_entry_correct, log_entry_create, log_write
from .roster import (
    SIGN_IN_WINDOW,
    roster_assign,
    roster_copy_week,
    roster_remove,
    shift_of,
    shift_pattern_create,
    shift_pattern_update,
    sign_in,
    sign_out,
    swap_decide,
    swap_request,
)
from .weather import weather_confirm, weather_end, weather_start

__all__ = [
    "SIGN_IN_WINDOW",
    "carried_item_close",
    "carried_item_open",
    "check_item_create",
    "check_item_update",
    "current_shift",
    "handover_accept",
    "handover_check",
    "handover_item_acknowledge",
    "handover_item_clarify",
    "handover_item_hand_over_running",
    "handover_item_mark_unclear",
    "handover_offer",
    "handover_prepare",
    "handover_refresh",
    "handover_write_notes",
    "log_entry_correct",
    "log_entry_create",
    "log_write",
    "next_shift",
    "roster_assign",
    "roster_copy_week",
    "roster_remove",
    "shift_of",
    "shift_pattern_create",
    "shift_pattern_update",
    "sign_in",
    "sign_out",
    "swap_decide",
    "swap_request",
    "weather_confirm",
    "weather_end",
    "weather_start",
]
