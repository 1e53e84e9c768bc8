"""Reports are read from the other apps' records: the tests build those records through the
apps' services and check every number against them (RPT-1 … RPT-4)."""

from __future__ import annotations

from ..clock import FIXED, fixed_clock  # noqa: F401 (fixture)
