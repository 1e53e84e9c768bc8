"""Banners on every page of a centre (severe weather now, alarm floods later). A capability
registers a provider ``fn(request, centre) -> list[Banner]``; the shell shows them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_PROVIDERS: list[Callable] = []


@dataclass(frozen=True)
class Banner:
    text: str
    level: str = "warning"  # warning | danger | info
    link: str = ""
    link_text: str = ""
    key: str = ""  # data-testid of the banner


def register(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def for_centre(request, centre) -> list[Banner]:
    return [banner for provider in _PROVIDERS for banner in provider(request, centre)]
