"""Scoped reads of upkeep: defects."""

from __future__ import annotations
