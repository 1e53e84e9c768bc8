"""The console (a centre's home page) is made of panels. Each capability registers its
panels here; each panel is a template with its own context, refreshed live when the live
channel says so (``live.refresh_on_commit(centre, key)``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_PANELS: dict[str, Panel] = {}


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable  # (request, centre) -> dict, or None to hide the panel
    order: int = 100
    width: str = "col-lg-6"


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def register_all(panels) -> None:
    for panel in panels:
        register(panel)


def get(key: str) -> Panel | None:
    return _PANELS.get(key)


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))
