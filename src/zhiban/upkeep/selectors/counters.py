"""Scoped reads of upkeep: counters."""

from __future__ import annotations
