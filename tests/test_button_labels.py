"""Rule ids are help, not labels: no button or submit of any page says "（OPS-2）". The rule a
button follows goes in its title / aria-describedby or a help line beside it (issue 11).

Two nets: every template of every app (a ``<button>``'s own text, a submit's value), and the
pages of the demo centres as they are rendered (labels that come from Python), walked from each
centre's console by its links."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from zhiban.org.models import Centre, Person

from . import demo_world

SRC = Path(__file__).resolve().parents[1] / "src" / "zhiban"
RULE_ID = re.compile(r"\b[A-Z]+-\d+\b(?!-\d)")  # not a number such as KF-2026-00254
PAGES_PER_SHAPE = 2  # /c/suwu/ops/tickets/12/ and /13/ are one shape: two of each are enough
SKIP = re.compile(r"/(logout|i18n|static|media|api)/|[?&]export=|\.pdf\b|/pdf/|/print/")


class Buttons(HTMLParser):
    """The labels of a page's buttons, submits and links shown as buttons, and its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.labels: list[str] = []
        self.links: list[str] = []
        self._open: list[str] | None = None  # the text of the button being read
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "input" and a.get("type") in ("submit", "button"):
            self.labels.append(a.get("value") or "")
        if tag == "button" or (tag == "a" and "btn" in (a.get("class") or "").split()):
            self._open, self._tag = [], tag

    def handle_endtag(self, tag):
        if self._open is None:
            return
        if tag == self._tag:
            self.labels.append(" ".join("".join(self._open).split()))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def template_labels():
    for path in sorted(SRC.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<(button|a)\b([^>]*)>(.*?)</\1>", text, re.S):
            if match.group(1) == "a" and not re.search(r'class="[^"]*\bbtn\b', match.group(2)):
                continue  # a plain link, not a link shown as a button
            inner = re.sub(r"<[^>]*>|\{%\s*icon\b[^%]*%\}", "", match.group(3))
            yield path.relative_to(SRC), inner
        for match in re.finditer(r"<input\b[^>]*type=\"submit\"[^>]*>", text):
            value = re.search(r"value=\"([^\"]*)\"", match.group(0))
            yield path.relative_to(SRC), value.group(1) if value else ""


def test_no_template_puts_a_rule_id_on_a_button():
    found = [
        (str(path), label.strip()) for path, label in template_labels() if RULE_ID.search(label)
    ]
    assert not found, found


def crawl(client: Client, start: str, limit: int = 400):
    """Pages reachable from ``start`` by links of the same centre: (path, labels)."""
    prefix = urlsplit(start).path
    queue, seen, shapes = [start], {start}, Counter()
    while queue and len(seen) <= limit:
        path = queue.pop(0)
        answer = client.get(path)
        if answer.status_code != 200 or "html" not in answer.get("Content-Type", ""):
            continue
        page = Buttons()
        page.feed(answer.content.decode())
        yield path, page.labels
        for href in page.links:
            href = urldefrag(href).url
            if not href.startswith(prefix) or href in seen or SKIP.search(href):
                continue
            shape = re.sub(r"\d+", "N", urlsplit(href).path)
            if shapes[shape] >= PAGES_PER_SHAPE:
                continue
            shapes[shape] += 1
            seen.add(href)
            queue.append(href)


@pytest.fixture
def admin(db):
    demo_world.load()
    client = Client()
    client.force_login(Person.objects.get(username="admin"))
    return client


def test_no_page_of_the_demo_centres_puts_a_rule_id_on_a_button(admin):
    """Every centre of the demo, in Chinese, walked from its console."""
    found: dict[str, set[str]] = {}
    for centre in Centre.objects.order_by("code"):
        for path, labels in crawl(admin, f"/c/{centre.code}/"):
            for label in labels:
                if RULE_ID.search(label):
                    found.setdefault(label, set()).add(re.sub(r"\d+", "N", path))
    assert found == {}
