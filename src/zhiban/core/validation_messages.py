"""Bad input told in the reader's language (DESIGN rule 4): pydantic's own field messages
("Field required", "Input should be a valid integer" …) are English; the API's 422 answer and
the gateway's rejected events say them again by the error's ``type`` and its ``ctx``, in the
language active for the request (the person's, else the caller's, else zh-Hans). A type not
listed keeps pydantic's text."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# pydantic writes the allowed values as "'a', 'b' or 'c'"
_ALTERNATIVES = re.compile(r", (?:or )?| or ")


def _types(*names: str, text) -> dict:
    return dict.fromkeys(names, text)


def _choices(ctx: dict) -> str:
    choices = ", ".join(_ALTERNATIVES.split(str(ctx.get("expected", ""))))
    return _("Choose one of: %(kinds)s.") % {"kinds": choices}


# type → the message, from the error's ctx; the texts are looked up when a message is made
_MESSAGES = {
    "missing": lambda ctx: _("This field is required."),
    "extra_forbidden": lambda ctx: _("This field is not expected here."),
    **_types(
        "int_type",
        "int_parsing",
        "int_from_float",
        text=lambda ctx: _("Enter a whole number."),
    ),
    "int_parsing_size": lambda ctx: _("The number is too large."),
    **_types(
        "float_type",
        "float_parsing",
        "decimal_type",
        "decimal_parsing",
        text=lambda ctx: _("Enter a number."),
    ),
    "finite_number": lambda ctx: _("Enter a finite number."),
    **_types("bool_type", "bool_parsing", text=lambda ctx: _("Enter true or false.")),
    **_types("string_type", "string_sub_type", text=lambda ctx: _("Enter text.")),
    "string_too_short": lambda ctx: (
        ngettext(
            "Enter at least %(limit)s character.",
            "Enter at least %(limit)s characters.",
            ctx.get("min_length", 0),
        )
        % {"limit": ctx.get("min_length")}
    ),
    "string_too_long": lambda ctx: (
        ngettext(
            "Enter at most %(limit)s character.",
            "Enter at most %(limit)s characters.",
            ctx.get("max_length", 0),
        )
        % {"limit": ctx.get("max_length")}
    ),
    "string_pattern_mismatch": lambda ctx: _("The text is not in the expected form."),
    "too_short": lambda ctx: (
        ngettext(
            "Give at least %(limit)s item.",
            "Give at least %(limit)s items.",
            ctx.get("min_length", 0),
        )
        % {"limit": ctx.get("min_length")}
    ),
    "too_long": lambda ctx: (
        ngettext(
            "Give at most %(limit)s item.",
            "Give at most %(limit)s items.",
            ctx.get("max_length", 0),
        )
        % {"limit": ctx.get("max_length")}
    ),
    "greater_than": lambda ctx: _("Enter a value greater than %(limit)s.") % {"limit": ctx["gt"]},
    "greater_than_equal": lambda ctx: (
        _("Enter a value of at least %(limit)s.") % {"limit": ctx["ge"]}
    ),
    "less_than": lambda ctx: _("Enter a value less than %(limit)s.") % {"limit": ctx["lt"]},
    "less_than_equal": lambda ctx: _("Enter a value of at most %(limit)s.") % {"limit": ctx["le"]},
    "multiple_of": lambda ctx: _("Enter a multiple of %(limit)s.") % {"limit": ctx["multiple_of"]},
    **_types("literal_error", "enum", text=_choices),
    "json_invalid": lambda ctx: _("This is not valid JSON."),
    "json_type": lambda ctx: _("Send JSON text here."),
    **_types(
        "datetime_type",
        "datetime_parsing",
        "datetime_from_date_parsing",
        "datetime_object_invalid",
        text=lambda ctx: _("Enter a date and time, e.g. 2026-11-28T09:30:00+08:00."),
    ),
    "timezone_aware": lambda ctx: _("Give the time with its time zone, e.g. +08:00."),
    **_types(
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        text=lambda ctx: _("Enter a date, e.g. 2026-11-28."),
    ),
    **_types("time_type", "time_parsing", text=lambda ctx: _("Enter a time, e.g. 09:30.")),
    **_types(
        "list_type",
        "tuple_type",
        "set_type",
        "iterable_type",
        text=lambda ctx: _("Send a list here."),
    ),
    **_types(
        "dict_type",
        "model_type",
        "model_attributes_type",
        text=lambda ctx: _("Send an object here."),
    ),
    **_types("uuid_type", "uuid_parsing", text=lambda ctx: _("Enter a UUID.")),
    **_types("url_type", "url_parsing", text=lambda ctx: _("Enter a web address.")),
    # our own validators raise ValueError with a translated text: say it without "Value error, "
    **_types("value_error", "assertion_error", text=lambda ctx: str(ctx.get("error", ""))),
}


def message(error: dict) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) for people."""
    make = _MESSAGES.get(error.get("type", ""))
    ctx = error.get("ctx") or {}
    try:
        text = make(ctx) if make else ""
    except (KeyError, TypeError):  # a ctx of another shape: pydantic's own words
        text = ""
    return text or str(error.get("msg", ""))
