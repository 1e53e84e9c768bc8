"""The pages on a phone (390 × 844): no sideways scrolling of the page, the side navigation
folds behind the navbar toggler, wide tables scroll inside their card, and on every page of
each demo centre (its menu and the pages linked from there, one of each kind) the document is
no wider than the screen and no heading is squeezed into a column narrower than its words.
Full-page screenshots of them go to ZHIBAN_E2E_SHOTS when it names a folder."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import login, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SLACK = 4  # px of sideways scrolling that nobody notices (sub-pixel borders)
# the demo centres, one of each kind, and who looks at them (a chief of each desk)
DESKS = {"suwu": "zhangwei", "xinghu": "gaoyuan", "kefu": "tangyu", "fangwu": "hanxue"}
# the document's width, and every visible heading narrower than its text on one line (and
# than 120 px): a title squeezed beside buttons breaks after every character
MEASURE = """() => ({
  width: document.documentElement.scrollWidth,
  squeezed: [...document.querySelectorAll("h1, h2, h3, .page-title, .card-title")]
    .filter(h => h.offsetParent !== null && h.textContent.trim())
    .map(h => {
      const width = h.getBoundingClientRect().width;
      const wrap = h.style.whiteSpace;
      h.style.whiteSpace = "nowrap";
      const needed = h.scrollWidth;
      h.style.whiteSpace = wrap;
      return {text: h.textContent.trim().slice(0, 30), width: Math.round(width), needed};
    })
    .filter(h => h.width < Math.min(h.needed, 120)),
})"""


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_console_is_usable_at_phone_width(new_context):
    page = new_context(viewport=PHONE).new_page()
    login(page, "zhangwei")
    expect(page.locator("[data-testid=console]")).to_be_visible()
    assert page_width(page) <= PHONE["width"] + 1, "the console scrolls sideways"

    menu = page.locator("#sidebar-menu")
    expect(menu).to_be_hidden()
    toggler = page.locator(".zb-sidebar .navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(menu).to_be_visible()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding open
    organisation = menu.get_by_role("link", name="组织机构")
    expect(organisation).to_be_visible()
    assert page_width(page) <= PHONE["width"] + 1, "the open menu scrolls sideways"
    organisation.click()
    expect(page).to_have_url(re.compile(r"/c/suwu/org/$"))

    page.goto("/c/suwu/org/sites/")
    table = page.locator("[data-testid=rows]")
    expect(table).to_be_visible()
    assert page_width(page) <= PHONE["width"] + 1, "the sites list scrolls sideways"
    wrapper = page.locator("#rows .table-responsive")
    overflow = wrapper.evaluate("el => getComputedStyle(el).overflowX")
    assert overflow in ("auto", "scroll"), overflow
    inner, outer = wrapper.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert inner > outer, "the table fits: the test expects a wider table than a phone"
    box = page.locator(".card").filter(has=wrapper).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    # scrolling the table moves the table, not the page
    wrapper.evaluate("el => el.scrollLeft = 200")
    assert wrapper.evaluate("el => el.scrollLeft") > 0
    assert page.evaluate("window.scrollX") == 0


def centre_pages(page, code: str) -> list[str]:
    """The centre's menu entries and the pages they link to in the same centre, one page of
    each kind (``/ops/tickets/2/`` stands for every ticket), downloads and actions left out."""
    menu = page.evaluate(
        "() => [...document.querySelectorAll('#sidebar-menu a')].map(a => a.pathname)"
    )
    found = {href for href in menu if href.startswith(f"/c/{code}/")}
    for href in sorted(found):
        page.goto(href)
        links = page.evaluate(
            "() => [...document.querySelectorAll('.page-wrapper a')].map(a => a.pathname)"
        )
        found |= {link for link in links if link.startswith(f"/c/{code}/")}
    kinds: dict[str, str] = {}
    for href in sorted(found):
        if not re.search(r"\.(pdf|xlsx)$|/(open|retry)/$", href):
            kinds.setdefault(re.sub(r"/\d+/", "/N/", href), href)
    return sorted(kinds.values())


@pytest.mark.parametrize("code", DESKS)
def test_every_centre_page_fits_a_phone(new_context, code):
    page = new_context(viewport=PHONE).new_page()
    login(page, DESKS[code])
    pages = centre_pages(page, code)
    assert len(pages) >= 6, pages  # the console, duty, audit, deadlines, organisation, phone
    problems = {}
    for href in pages:
        answer = page.goto(href)
        if answer is None or answer.status != 200:
            problems[href] = {"status": answer and answer.status}
            continue
        page.wait_for_load_state("networkidle")
        seen = page.evaluate(MEASURE)
        if seen["width"] > PHONE["width"] + SLACK or seen["squeezed"]:
            problems[href] = seen
        shot(page, f"phone-{code}-{href.strip('/').replace('/', '-')}")
    assert problems == {}, problems
