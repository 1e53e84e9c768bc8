"""The one door for writes to upkeep: defects (``defects``, DEF-1 … DEF-3), operation
counters (``counters``, CNT-1 … CNT-3) and acceptance sheets (``acceptance``, ACC-2 … ACC-4).
Callers use ``from zhiban.upkeep import services``."""

from .acceptance import (
    point_add,
    point_raise_defect,
    point_summarise,
    point_tick,
    sheet_checkers,
    sheet_close,
    sheet_create,
    sheet_open,
    sign,
)
from .counters import (
    counter_add,
    counter_import,
    counter_limit_set,
    counter_month_enter,
    counter_open,
    counter_reset,
)
from .defects import (
    defect_assign,
    defect_classify,
    defect_close,
    defect_eliminate,
    defect_measure,
    defect_reject,
    defect_report,
    defect_verify,
)
from .point_table import points_import

__all__ = [
    "point_add",
    "point_raise_defect",
    "point_summarise",
    "point_tick",
    "sheet_checkers",
    "sheet_close",
    "sheet_create",
    "sheet_open",
    "sign",
    "counter_add",
    "counter_import",
    "counter_limit_set",
    "counter_month_enter",
    "counter_open",
    "counter_reset",
    "defect_assign",
    "defect_classify",
    "defect_close",
    "defect_eliminate",
    "defect_measure",
    "defect_reject",
    "defect_report",
    "defect_verify",
    "points_import",
]
