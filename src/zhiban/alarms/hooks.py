"""Who is told of new alarms (EMG-1): a capability above alarms registers
``callback(alarm_ids)``; the ingestion calls each with the ids of the alarms a batch opened,
after its commit, each on its own (one that fails is logged and does not stop the others or
the ingestion). Alarms never imports the capability (ADR 0015)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction

_CALLBACKS: list[Callable[[list[int]], None]] = []


def register(callback: Callable[[list[int]], None]) -> None:
    if callback not in _CALLBACKS:
        _CALLBACKS.append(callback)


def raised_on_commit(alarm_ids: list[int]) -> None:
    """Tell every callback of the new alarms once the transaction commits."""
    if alarm_ids:
        for callback in _CALLBACKS:
            transaction.on_commit(partial(callback, list(alarm_ids)), robust=True)
