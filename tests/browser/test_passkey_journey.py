"""Passkeys in Chromium with a virtual authenticator (CDP WebAuthn): add one, sign in with it, remove it.

WebAuthn needs a secure context and a real domain as its relying party, so these tests talk to the
portal as http://localhost:PORT (PORTAL_URL says the same: the relying party comes from it)."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import (
    button,
    heading,
    open_context,
    open_menu,
    password_input,
    sign_in_to_home,
    textbox,
    wait_for_mail,
)
from tests.helpers import make_account


@pytest.fixture
def localhost(app, live_server):
    """The live portal's address as localhost, and PORTAL_URL to match."""
    address = live_server.replace("127.0.0.1", "localhost")
    app.config["PORTAL_URL"] = address
    return address


@pytest.fixture
def passkey_page(browser, localhost):
    """JavaScript on, with a virtual platform authenticator that keeps discoverable credentials."""
    context = open_context(browser, localhost, js=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    yield page
    context.close()


def add_passkey(page, name="Work laptop"):
    """Edit Profile → Passkeys: Passkey Name, Current Password (sent before the browser's prompt), Add."""
    page.goto("/account/profile")
    panel = page.locator("#passkeys-panel")
    expect(panel.get_by_role("heading", name="Passkeys")).to_be_visible()
    panel.get_by_label("Passkey Name").fill(name)
    password_input(panel, "Current Password").fill("bcbs4tx9")
    button(page, "Add a Passkey").click()
    expect(panel.get_by_text(f"Your passkey “{name}” was added.")).to_be_visible()


def test_a_wrong_current_password_adds_no_passkey_and_says_so_beside_the_field(app, passkey_page):
    page = passkey_page
    make_account(app)
    sign_in_to_home(page)
    page.goto("/account/profile")
    panel = page.locator("#passkeys-panel")
    panel.get_by_label("Passkey Name").fill("Mine")
    password_input(panel, "Current Password").fill("wrong1")
    button(page, "Add a Passkey").click()
    field = password_input(panel, "Current Password")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(panel.get_by_text("Your Current Password is not correct", exact=False)).to_be_visible()
    expect(panel.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)


def test_producer_adds_a_passkey_and_signs_in_with_it(app, passkey_page, outbox):
    page = passkey_page
    make_account(app)
    sign_in_to_home(page)
    add_passkey(page)
    expect(page.locator("#passkeys-panel").get_by_text("Work laptop", exact=True)).to_be_visible()
    assert wait_for_mail(app, outbox, "Retail Producer Portal Passkey Added")

    open_menu(page, "Account")
    button(page, "Logout").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()
    button(page, "Sign in with a passkey").click()
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()


def test_a_passkey_counts_as_both_steps_and_a_removed_one_no_longer_signs_in(app, passkey_page):
    import pyotp
    page = passkey_page
    make_account(app)
    sign_in_to_home(page)
    page.goto("/account/two-step/set-up")
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    textbox(page, "Verification Code").fill(pyotp.TOTP(key).now())
    button(page, "Verify").click()
    expect(heading(page, "Save Your Recovery Codes", 1)).to_be_visible()
    add_passkey(page, "My phone")
    open_menu(page, "Account")
    button(page, "Logout").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()
    button(page, "Sign in with a passkey").click()
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()  # no Verification Code step

    page.goto("/account/profile")
    panel = page.locator("#passkeys-panel")
    password_input(panel, "Current Password").fill("bcbs4tx9")
    button(panel, "Remove My phone").click()
    expect(panel.get_by_text("The passkey was removed.")).to_be_visible()
    open_menu(page, "Account")
    button(page, "Logout").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()
    button(page, "Sign in with a passkey").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile("could not sign you in"))).to_be_visible()


def test_without_javascript_nothing_about_passkeys_is_shown(app, browser, live_server):
    context = open_context(browser, live_server, js=False)
    page = context.new_page()
    make_account(app)
    page.goto("/")
    expect(page.get_by_text("passkey", exact=False)).to_have_count(0)
    password_input(page, "Password")  # the sign-in form is there as always
    context.close()
