"""Column lists shared by the HTML lists, the detail pages and the .xlsx exports (RPT-2),
so a list shows and exports the same thing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .timewindow import shown


@dataclass(frozen=True)
class Column:
    label: Any
    value: str | Callable[[Any], Any]
    link: bool = False  # the cell links to the row's detail page
    indent: bool = False  # indent by the row's tree depth (sites, equipment)
    width: int = 16  # column width in the .xlsx export

    def get(self, obj) -> Any:
        if callable(self.value):
            return self.value(obj)
        result: Any = obj
        for part in self.value.split("."):
            if result is None:
                return None
            display = getattr(result, f"get_{part}_display", None)
            result = display() if display else getattr(result, part)
        return result() if callable(result) and not hasattr(result, "all") else result


@dataclass(frozen=True)
class Table:
    columns: list[Column] = field(default_factory=list)

    def headers(self) -> list[str]:
        return [str(c.label) for c in self.columns]

    def cells(self, obj) -> list[Any]:
        return [c.get(obj) for c in self.columns]


def plain(value) -> Any:
    """A cell value as text or number for a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, datetime):
        return shown(value)
    if isinstance(value, (int, float)):
        return value
    if hasattr(value, "all"):
        return "、".join(str(v) for v in value.all())
    return str(value)
