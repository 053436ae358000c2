"""Recover Your User Name and Reset Password (to the forced Change Password) in a browser."""
from playwright.sync_api import expect

from tests.browser.journeys import (
    LOCKED,
    TEMPORARY_PASSWORD,
    button,
    heading,
    link,
    password_input,
    says,
    sign_in,
    textbox,
    wait_for_mail,
)
from tests.helpers import make_account


def test_forgot_user_name(app, page, js, outbox):
    make_account(app)
    page.goto("/")
    link(page, "Forgot User Name?").click()
    expect(heading(page, "Forgot User Name?", 1)).to_be_visible()
    expect(says(page, "Please enter the Agent Unique ID AND Email Address linked to your account.")
           ).to_be_visible()
    textbox(page, "Agent Unique ID").fill("999999999")
    textbox(page, "E-mail Address").fill("testproducer@gmail.com")
    button(page, "Submit").click()
    expect(says(page, "We sent your user name in an email to your email address on file.")).to_be_visible()
    link(page, "OK").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()
    message = wait_for_mail(app, outbox, "Retail Producer Portal User Name")
    assert "User Name(s) linked to your email address: jessicacamp." in message.body


def test_locked_out_producer_resets_the_password_and_must_change_it(app, page, js, outbox):
    make_account(app)
    for attempt in ("wrong1", "wrong2", "wrong3"):
        sign_in(page, password=attempt)
    expect(page.get_by_role("alert")).to_contain_text(LOCKED)
    page.get_by_role("alert").get_by_role("link", name="Reset Password").click()

    expect(heading(page, "Reset Password?", 1)).to_be_visible()
    textbox(page, "User Name").fill("jessicacamp")
    textbox(page, "E-mail Address").fill("testproducer@gmail.com")
    button(page, "Submit").click()
    expect(says(page, "We sent a temporary password to your email address on file.")).to_be_visible()
    link(page, "OK").click()
    message = wait_for_mail(app, outbox, "Retail Producer Portal Password Reset")
    temporary = TEMPORARY_PASSWORD.search(message.body).group(1)

    sign_in(page, password=temporary)  # unlocks the account and leads straight to Change Password
    expect(heading(page, "Change Password", 1)).to_be_visible()
    expect(says(page, "You logged in with a temporary password.")).to_be_visible()
    page.goto("/home")  # nothing else until the password is changed
    expect(heading(page, "Change Password", 1)).to_be_visible()
    password_input(page, "Current Password").fill(temporary)
    password_input(page, "New Password").fill("newpw42")
    password_input(page, "Confirm New Password").fill("newpw42")
    button(page, "Update Password").click()
    expect(says(page, "Your password has been updated.")).to_be_visible()
    link(page, "Back to Profile Page").click()
    expect(heading(page, "Edit Profile", 1)).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, password="bcbs4tx9")  # the old password no longer works
    expect(page.get_by_role("alert")).to_be_visible()
    sign_in(page, password="newpw42")
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
