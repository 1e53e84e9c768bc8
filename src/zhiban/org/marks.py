"""Marks other capabilities put on equipment wherever the organisation shows it — e.g. the
maintenance tag (检修牌) of power operations, which shows everywhere the equipment appears
(WORK-3). A capability registers a mark; org never imports the capability."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EquipmentMark:
    key: str  # the name of the boolean annotation ``annotate`` adds
    label: Any  # (lazy) text shown while it is true
    annotate: Callable  # equipment queryset -> the same queryset with the annotation


_MARKS: dict[str, EquipmentMark] = {}


def register(mark: EquipmentMark) -> None:
    _MARKS[mark.key] = mark


def annotated(equipment):
    for mark in _MARKS.values():
        equipment = mark.annotate(equipment)
    return equipment


def labels(equipment) -> str:
    """The marks of one (annotated) piece of equipment, e.g. "检修"."""
    return " ".join(str(m.label) for m in _MARKS.values() if getattr(equipment, m.key, False))


# Sections other capabilities add to the equipment page, e.g. its defect history (DEF-1):
# ``section(request, centre, equipment)`` -> [(title, [(url, text), …]), …]
_SECTIONS: list[Callable] = []


def register_section(section: Callable) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def sections(request, centre, equipment) -> list:
    return [part for section in _SECTIONS for part in section(request, centre, equipment)]
