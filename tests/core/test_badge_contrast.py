"""Badges are readable: every badge colour the pages use has its text and background stated in
zhiban.css, and the pair has a WCAG 2 contrast ratio of at least 4.5:1 (AA for small text).
A new badge colour in a template or a template tag fails here until its colours are added."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "zhiban"
CSS = SRC / "static" / "zhiban" / "zhiban.css"
AA = 4.5

BG = r"bg-(?:[a-z]+)(?:-lt)?"
# a class attribute (or the string a template tag puts in one) that makes a badge
BADGE_ATTR = re.compile(r"class=\"([^\"]*\bbadge\b[^\"]*)\"")
BG_CLASS = re.compile(rf"\b({BG})\b")
# bg-{% if … %}red{% elif … %}yellow{% else %}secondary{% endif %}-lt
BG_CHOSEN = re.compile(r"\bbg-(\{%.*?%\})(-lt)?\b")


def badge_colours() -> set[str]:
    """The bg-* classes of every badge in the templates and the template tags."""
    found: set[str] = set()
    for path in [*SRC.rglob("templates/**/*.html"), *SRC.rglob("templatetags/*.py")]:
        text = path.read_text(encoding="utf-8")
        chunks = [m.group(1) for m in BADGE_ATTR.finditer(text)]
        if path.suffix == ".py" and "badge" in text:  # badge classes kept in a table
            chunks.append(text)
        for chunk in chunks:
            found.update(BG_CLASS.findall(chunk))
            for chosen, lt in BG_CHOSEN.findall(chunk):
                found.update(f"bg-{word}{lt}" for word in re.findall(r"%\}(\w+)\{%", chosen))
    return found


def badge_rules() -> dict[str, dict[str, str]]:
    """``.badge.bg-x { color: …; background-color: … }`` rules of zhiban.css, by bg class."""
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = dict(
            (k.strip(), v.replace("!important", "").strip())
            for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
        for selector in selectors.split(","):
            match = re.fullmatch(rf"\s*\.badge\.({BG})\s*", selector)
            if match:
                rules.setdefault(match.group(1), {}).update(decls)
    return rules


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_wcag_examples():
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#2fb344", "#fff") < AA  # Tabler's green under white text: too pale


def test_the_pages_use_badges():
    colours = badge_colours()
    # the alarm class and state badges (template tags) and the duty log's chosen colours
    assert {"bg-red", "bg-azure", "bg-purple-lt", "bg-yellow-lt", "bg-blue-lt"} <= colours


@pytest.mark.parametrize("colour", sorted(badge_colours()))
def test_every_badge_colour_is_readable_at_4_5_to_1(colour):
    """Each badge colour: text and background given as colours in zhiban.css, at least 4.5:1."""
    rule = badge_rules().get(colour)
    assert rule, f".badge.{colour} has no colours in zhiban.css"
    text, background = rule.get("color", ""), rule.get("background-color", "")
    hex_colour = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
    assert hex_colour.fullmatch(text) and hex_colour.fullmatch(background), rule
    ratio = contrast(text, background)
    assert ratio >= AA, f".badge.{colour}: {text} on {background} is {ratio:.2f}:1"
