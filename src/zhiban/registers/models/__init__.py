"""The registers' records, one module per register (REG-1 … REG-9); ``common`` holds what
every register shares."""

from .common import ApprovalState, ApprovedRecord
from .desk import (
    FollowState,
    FoundItem,
    FoundState,
    Loan,
    LoanState,
    PhoneMessage,
    ProofKind,
    Repair,
)
from .footage import AccessKind, FootageAccess, FootageRequest
from .hotel import CallResult, DndCheck, DndState, WakeUpAttempt, WakeUpCall, WakeUpState
from .screens import ScreenUse, ScreenUseKind
from .visitors import Visitor, VisitorState

__all__ = [
    "AccessKind",
    "ApprovalState",
    "ApprovedRecord",
    "CallResult",
    "DndCheck",
    "DndState",
    "FollowState",
    "FootageAccess",
    "FootageRequest",
    "FoundItem",
    "FoundState",
    "Loan",
    "LoanState",
    "PhoneMessage",
    "ProofKind",
    "Repair",
    "ScreenUse",
    "ScreenUseKind",
    "Visitor",
    "VisitorState",
    "WakeUpAttempt",
    "WakeUpCall",
    "WakeUpState",
]
