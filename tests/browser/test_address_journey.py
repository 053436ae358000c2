"""The address bar and the title follow the page: reload, Back and Forward give the page shown,
with JavaScript on and off; an address only a form sends to, reloaded, goes to its page."""
from playwright.sync_api import expect

from tests.browser.journeys import MISMATCH, heading, says, sign_in
from tests.helpers import make_account


def test_reloading_the_address_of_a_failed_sign_in_shows_the_sign_in_page(app, page, js):
    make_account(app)
    sign_in(page, password="wrong1")
    expect(says(page, MISMATCH)).to_be_visible()
    page.goto(page.url)  # opened again from the address bar or a bookmark
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()
    assert page.url.endswith("/") and page.title() == "Please Sign-In – Retail Producer Portal"


def test_opening_logout_keeps_the_producer_signed_in(app, page):
    make_account(app)
    sign_in(page)
    page.goto("/logout")
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
