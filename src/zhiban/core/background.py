"""Services an app runs beside the web server in ``zhiban serve`` (the alarms' MQTT gateway,
INC-1). core imports no app (ADR 0013): an app registers a starter in its ``AppConfig.ready``
and ``serve`` starts it by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Running(Protocol):
    def stop(self) -> None: ...


_STARTERS: dict[str, Callable[..., Running]] = {}


def register(name: str, start: Callable[..., Running]) -> None:
    _STARTERS[name] = start


def start(name: str, **options) -> Running:
    """Start the service ``name`` with ``options``; ValueError for a bad option, or when no
    installed app offers it."""
    starter = _STARTERS.get(name)
    if starter is None:
        raise ValueError(f"no installed app runs {name!r} in serve")
    return starter(**options)
