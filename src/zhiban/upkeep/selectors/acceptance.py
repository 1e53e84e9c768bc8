"""Scoped reads of upkeep: acceptance."""

from __future__ import annotations
