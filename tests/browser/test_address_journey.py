"""The address bar and the title follow the page: reload, Back and Forward give the page shown,
with JavaScript on and off; an address only a form sends to, reloaded, goes to its page."""
import re

from playwright.sync_api import expect

from tests.browser.journeys import (
    MISMATCH,
    TEMPORARY_PASSWORD,
    button,
    console_sign_in,
    fill_account,
    fill_passwords,
    fill_state,
    heading,
    link,
    says,
    sign_in,
    textbox,
    wait_for_mail,
)
from tests.helpers import add_staff_user, make_account


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


def shows(page, name, path, title=None):
    """This page is shown (its heading), at its own address and with its own title."""
    expect(heading(page, name, 1)).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(path) + r"(\?.*)?$"))
    expect(page).to_have_title(f"{title or name} – Retail Producer Portal")


def shows_after_reload(page, name, path, title=None):
    shows(page, name, path, title)
    page.reload()
    shows(page, name, path, title)


def test_registration_pages_have_their_address_and_title(app, page, js):
    page.goto("/register")
    shows(page, "Registration", "/register")
    fill_account(page)
    fill_state(page, "TX")
    button(page, "Continue").click()
    shows_after_reload(page, "Confirm Your Registration", "/register/confirm")
    link(page, "Edit").click()
    shows_after_reload(page, "Registration", "/register")
    expect(textbox(page, "User Name")).to_have_value("jessicacamp")
    page.go_back()
    shows(page, "Confirm Your Registration", "/register/confirm")
    page.go_forward()
    shows(page, "Registration", "/register")
    fill_passwords(page)
    button(page, "Continue").click()
    shows(page, "Confirm Your Registration", "/register/confirm")
    button(page, "Submit Registration").click()
    shows_after_reload(page, "Registration Information Submitted", "/register/submitted")
    page.go_back()  # no way back into a submitted registration
    shows(page, "Registration Information Submitted", "/register/submitted")


def test_a_temporary_password_sign_in_is_at_the_change_password_address(app, page, js, outbox):
    make_account(app)
    page.goto("/reset-password")
    textbox(page, "User Name").fill("jessicacamp")
    textbox(page, "E-mail Address").fill("testproducer@gmail.com")
    button(page, "Submit").click()
    expect(says(page, "We sent a temporary password to your email address on file.")).to_be_visible()
    shows_after_reload(page, "Reset Password?", "/reset-password/sent")
    temporary = TEMPORARY_PASSWORD.search(wait_for_mail(app, outbox, "Retail Producer Portal Password Reset").body)
    sign_in(page, password=temporary.group(1))
    shows_after_reload(page, "Change Password", "/account/change-password")


def test_staff_sign_in_is_at_the_queue_address(app, page, js):
    with app.app_context():
        add_staff_user()
    page.goto("/staff/login")
    shows(page, "Producer Services Sign-In", "/staff/login")
    console_sign_in(app, page)
    shows_after_reload(page, "Registrations", "/staff/")
