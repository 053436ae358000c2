"""Log In to the Portal, Resolve Account Lock Outs, select a state, Contact Us and Logout in a browser."""
import re

from playwright.sync_api import expect

from rpp.messages import text
from tests.browser.journeys import (
    LOCKED,
    MISMATCH,
    activate,
    button,
    heading,
    link,
    open_menu,
    register,
    says,
    sign_in,
    wait_for_mail,
)
from tests.helpers import make_account


def test_registered_activated_producer_logs_in_selects_a_state_and_logs_out(app, page, js, outbox):
    register(page, states=("TX", "IL"))
    assert "Activated jessicacamp in TX" in activate(app)
    assert wait_for_mail(app, outbox, "Retail Producer Portal Registration Activation").to == ["testproducer@gmail.com"]
    sign_in(page)

    expect(heading(page, "Select a State", 1)).to_be_visible()
    page.get_by_role("radio", name="Illinois").check()
    button(page, "Continue").click()
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
    expect(says(page, "You are working in Illinois.")).to_be_visible()
    texas = page.get_by_role("row", name=re.compile("^Texas"))
    expect(texas).to_contain_text("999999999")
    expect(texas).to_contain_text("Active")

    open_menu(page, "Menu")
    link(page, "Contact Us").click()
    expect(heading(page, "Contact Us", 1)).to_be_visible()
    expect(page.get_by_role("link", name="(888) 313-5526")).to_have_attribute("href", "tel:+18883135526")

    open_menu(page, "Menu")
    link(page, "Home").click()
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()

    open_menu(page, "Account")
    button(page, "Logout").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()
    page.goto("/home")
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()  # the session is over


def test_three_wrong_passwords_lock_the_account(app, page, js):
    make_account(app)
    sign_in(page, password="wrong1")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(MISMATCH)
    expect(alert.get_by_role("link", name="Forgot Username")).to_be_visible()
    expect(alert.get_by_role("link", name="Reset Password")).to_be_visible()
    sign_in(page, password="wrong2")
    expect(alert).to_contain_text(MISMATCH)
    sign_in(page, password="wrong3")
    expect(alert).to_contain_text(f"{LOCKED} {text('sign_in.lock_lifts')}")
    sign_in(page)  # the right password is refused while locked
    expect(alert).to_contain_text(LOCKED)
    expect(heading(page, "Hello, Jessica Camp")).to_have_count(0)


def test_pending_registration_cannot_log_in_yet(app, page, js):
    make_account(app, activate=False)
    sign_in(page)
    expect(page.get_by_role("alert")).to_contain_text("Your registration has not been activated yet.")


def test_one_active_state_goes_straight_home(app, page, js):
    make_account(app)
    sign_in(page)
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
    expect(says(page, "You are working in Texas.")).to_be_visible()
