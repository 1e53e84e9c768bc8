"""The one door for writes to work tickets (``tickets``, WORK-1 … WORK-7, ACC-1) and to limit
changes and setting sheets (``limits``, WORK-6). Callers use ``from zhiban.work import
services``."""

from .limits import (
    limit_change_apply,
    limit_change_record,
    setting_copy_receive,
    setting_sheet_create,
    setting_sheet_update,
)
from .tickets import (
    work_end,
    work_extend,
    work_final_check,
    work_interrupt,
    work_measure_done,
    work_permit,
    work_remote_check,
    work_resume,
    work_tag_place,
    work_tag_remove,
    work_ticket_end,
    work_ticket_receive,
    work_ticket_update,
    work_ticket_void,
)

__all__ = [
    "limit_change_apply",
    "limit_change_record",
    "setting_copy_receive",
    "setting_sheet_create",
    "setting_sheet_update",
    "work_end",
    "work_extend",
    "work_final_check",
    "work_interrupt",
    "work_measure_done",
    "work_permit",
    "work_remote_check",
    "work_resume",
    "work_tag_place",
    "work_tag_remove",
    "work_ticket_end",
    "work_ticket_receive",
    "work_ticket_update",
    "work_ticket_void",
]
