"""The registers' records, one module per register (REG-1 … REG-9); ``common`` holds what
every register shares."""

from .common import ApprovalState, ApprovedRecord
from .footage import AccessKind, FootageAccess, FootageRequest
from .screens import ScreenUse, ScreenUseKind
from .visitors import Visitor, VisitorState

__all__ = [
    "AccessKind",
    "ApprovalState",
    "ApprovedRecord",
    "FootageAccess",
    "FootageRequest",
    "ScreenUse",
    "ScreenUseKind",
    "Visitor",
    "VisitorState",
]
