"""Phone numbers as customers give them (CS-1): an 11-digit mainland mobile, a landline with
its area code, or a 400/800 number. Stored as digits only, so that any part of a number
finds the customer."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import PhoneKind

_SEPARATORS = re.compile(r"[\s\-()（）]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_HOTLINE = re.compile(r"^[48]00\d{7}$")
# 010 and 02x are followed by 8 digits; the other area codes (0 + 3 digits) by 7 or 8.
_LANDLINE = re.compile(r"^0(?:10|2\d)\d{8}$|^0[3-9]\d{2}\d{7,8}$")

INVALID = _(
    "Enter an 11-digit mobile number, a landline with its area code (e.g. 0512-65520110) "
    "or a 400/800 number (CS-1)."
)


def digits(value: str) -> str:
    """The digits of a number as typed, without separators or the +86 / 0086 prefix."""
    number = _SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
    return number


def normalise(value: str) -> tuple[str, str]:
    """(digits, kind) of a valid number; a ValidationError naming CS-1 otherwise."""
    number = digits(value)
    if _MOBILE.match(number):
        return number, PhoneKind.MOBILE
    if _HOTLINE.match(number):
        return number, PhoneKind.HOTLINE
    if _LANDLINE.match(number):
        return number, PhoneKind.LANDLINE
    raise ValidationError(INVALID, code="CS-1")


def shown(number: str) -> str:
    """A stored number as people read it: 138 0000 0051, 0512-6552 0110, 400-820-0365."""
    if _MOBILE.match(number):
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if _HOTLINE.match(number):
        return f"{number[:3]}-{number[3:6]}-{number[6:]}"
    if _LANDLINE.match(number):
        cut = 3 if number[1] in "12" else 4
        return f"{number[:cut]}-{number[cut:]}"
    return number
