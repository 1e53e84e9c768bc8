"""Complaints (CS-4, CS-5). PLACEHOLDER: the interface the intake calls; the complaints work
fills it in."""

from __future__ import annotations

from ..models import Complaint


def complaint_open(*, actor, source, case, data: dict) -> Complaint:
    """The complaint part of a new complaint case (runs in the intake's transaction)."""
    raise NotImplementedError


def complaint_closable(case) -> None:
    """Refuse (CS-4) to close a complaint case without its reply and handling record."""
    raise NotImplementedError
