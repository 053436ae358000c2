"""Contact Us (and the recovery pages' Producer Services numbers) on a phone and on a desktop."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import heading

# Each number: its tel: link, its width and height, and how many line boxes it takes.
NUMBERS = """() => [...document.querySelectorAll("main a.tel")].map(link => ({
    text: link.textContent, href: link.getAttribute("href"), lines: link.getClientRects().length,
    height: link.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(link).lineHeight)}))"""
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
STATE_BLOCK_LEFTS = """() => [...document.querySelectorAll("main .contact")]
    .map(block => block.getBoundingClientRect().left)"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path, title", [("/contact-us", "Contact Us"), ("/forgot-user-name", "Forgot User Name?"),
                                         ("/reset-password", "Reset Password?")])
def test_every_number_is_one_tel_link_on_one_line_without_sideways_scrolling(page, js, width, path, title):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(path)
    expect(heading(page, title, 1)).to_be_visible()
    assert page.evaluate(FITS), "the page scrolls sideways"
    numbers = page.evaluate(NUMBERS)
    assert len(numbers) >= 16
    for number in numbers:
        assert re.fullmatch(r"tel:\+1\d{10}", number["href"]), number
        assert re.sub(r"\D", "", number["text"]) == number["href"][len("tel:+1"):], number
        assert number["lines"] == 1 and number["height"] < 1.5 * number["lineHeight"], number


def test_a_phone_shows_one_block_per_state_one_under_another(page, js):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/contact-us")
    lefts = page.evaluate(STATE_BLOCK_LEFTS)
    assert len(lefts) >= 5 and len(set(lefts)) == 1, lefts
    expect(page.get_by_role("heading", name="Texas", level=2)).to_be_visible()
