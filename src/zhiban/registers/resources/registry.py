"""Every register, in the order the home page lists them; a centre sees those of its kind.
A new register adds its module's ``REGISTER`` here."""

from __future__ import annotations

from . import desk, footage, hotel, screens, visitors
from .common import Register

REGISTERS: list[Register] = [
    visitors.REGISTER,
    footage.REGISTER,
    screens.REGISTER,
    hotel.WAKE_UP,
    hotel.DND,
    desk.PHONE,
    desk.LENDING,
    desk.FOUND,
    desk.REPAIRS,
]


def registers_of(centre) -> list[Register]:
    return [r for r in REGISTERS if centre.kind in r.kinds]
