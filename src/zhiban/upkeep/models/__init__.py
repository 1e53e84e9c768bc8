"""Upkeep (缺陷, 次数, 验收): defects with graded deadlines and routing (``defects``, DEF-1 …
DEF-3), operation counters with their limits and month-end figures (``counters``, CNT-1 …
CNT-3) and acceptance sheets — four-remote commissioning and stage acceptances — ticked by two
checkers (``acceptance``, ACC-2 … ACC-4).

Fields, constraints and transition tables only; every change goes through ``upkeep.services``.
"""

from .acceptance import (
    AcceptancePoint,
    AcceptanceSheet,
    PointMethod,
    PointResult,
    RemoteType,
    SheetKind,
    SheetState,
    Signature,
)
from .counters import CounterKind, CounterMonth, OperationCounter
from .defects import (
    GRADE_ORDER,
    Defect,
    DefectGrade,
    DefectKind,
    DefectOrigin,
    DefectState,
    Owner,
)

__all__ = [
    "GRADE_ORDER",
    "AcceptancePoint",
    "AcceptanceSheet",
    "PointMethod",
    "PointResult",
    "CounterKind",
    "CounterMonth",
    "Defect",
    "DefectGrade",
    "DefectKind",
    "DefectOrigin",
    "DefectState",
    "OperationCounter",
    "Owner",
    "RemoteType",
    "SheetKind",
    "SheetState",
    "Signature",
]
