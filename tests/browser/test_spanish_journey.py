"""A Spanish-reading producer in a real browser, JavaScript on and off: the page in Spanish from the browser's
language, registration errors (inline and in the summary) in Spanish, and the Español / English link.

The Spanish expected is read from es.po (tests.helpers.spanish), so the journey holds whatever the wording."""
import pytest
from playwright.sync_api import expect

from tests.browser.journeys import open_context, settle
from tests.helpers import spanish


@pytest.fixture
def spanish_page(browser, live_server, js):
    """A browser whose language is Mexican Spanish (its Accept-Language)."""
    context = open_context(browser, live_server, js)
    context.set_extra_http_headers({"Accept-Language": "es-MX,es;q=0.9"})
    yield context.new_page()
    context.close()


def test_registration_errors_are_in_spanish(spanish_page, js):
    page = spanish_page
    page.goto("/register")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(spanish("Registration"))
    first_name_error = spanish("Please enter your First Name.")
    if js:  # inline validation: the field's error slot, as the producer leaves it
        for typed in ("Jessica", ""):  # a change: typed, then taken away
            page.locator("#first_name").fill(typed)
            page.locator("#first_name").press("Tab")
            settle(page)
        expect(page.locator("#first_name-error")).to_contain_text(first_name_error)
    page.locator("#registration-panel form button[type=submit]").click()
    settle(page)
    expect(page.locator(".error-summary")).to_contain_text(first_name_error)
    expect(page.locator("#first_name-error")).to_contain_text(first_name_error)


def test_the_link_switches_on_the_same_page_and_is_remembered(spanish_page):
    page = spanish_page
    page.goto("/contact-us")
    expect(page.locator("h1")).to_have_text(spanish("Contact Us"))
    page.get_by_role("link", name="English", exact=True).click()
    expect(page).to_have_url(page.url.split("/contact-us")[0] + "/contact-us")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Contact Us")
    page.goto("/register")  # remembered, though the browser still asks for Spanish
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Español", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(spanish("Registration"))
