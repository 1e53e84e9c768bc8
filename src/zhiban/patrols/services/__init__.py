"""The one door for writes to patrols: checkpoints and plans (``plans``, PAT-1), the rounds due
and missed (``schedule``, PAT-2, PAT-3) and a round walked (``walking``, PAT-2, PAT-4).
Callers use ``from zhiban.patrols import services``."""

from .plans import checkpoint_create, checkpoint_update, plan_create, plan_update
from .schedule import rounds_generate, rounds_mark_missed
from .walking import (
    round_answer,
    round_check,
    round_confirm,
    round_end,
    round_photo,
    round_start,
)

__all__ = [
    "checkpoint_create",
    "checkpoint_update",
    "plan_create",
    "plan_update",
    "round_answer",
    "round_check",
    "round_confirm",
    "round_end",
    "round_photo",
    "round_start",
    "rounds_generate",
    "rounds_mark_missed",
]
