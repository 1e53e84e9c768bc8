"""The registers' jobs (Huey); each only calls services: the desk is told when a wake-up call
or its follow-up is due (REG-7), the do-not-disturb check's time (REG-8), and items lent not
back in time (REG-4)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.desk import loans_chase
from .services.hotel import dnd_check_remind, wake_up_calls_remind


@db_periodic_task(crontab(minute="*"))
def wake_up_calls_every_minute() -> int:
    """Tell the desk of each wake-up call, second call or attendant now due (REG-7), and of
    the do-not-disturb check when its time has come (REG-8)."""
    return wake_up_calls_remind() + dnd_check_remind()


@db_periodic_task(crontab(minute="*/5"))
def loans_every_5_minutes() -> int:
    """Tell the desk of the items lent and not back by their due time (REG-4)."""
    return loans_chase()
