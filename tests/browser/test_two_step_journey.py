"""Two-step verification in a browser, with JavaScript on and off: set up, recovery codes, sign in."""
from playwright.sync_api import expect

from tests.browser.journeys import (
    button,
    complete_two_step_setup,
    heading,
    link,
    open_menu,
    password_input,
    says,
    sign_in,
    sign_in_to_home,
    textbox,
)
from tests.helpers import make_account


def set_up_two_step(page):
    """Edit Profile → Set Up Two-Step Verification → Verify; returns the recovery codes shown."""
    page.goto("/account/profile")
    link(page, "Set Up Two-Step Verification").click()
    return complete_two_step_setup(page)[1]


def test_producer_sets_up_two_step_and_signs_in_with_a_recovery_code(app, page, js):
    make_account(app)
    sign_in_to_home(page)
    codes = set_up_two_step(page)
    link(page, "Back to Profile Page").click()
    expect(says(page, "Two-step verification is on")).to_be_visible()

    open_menu(page, "Account")
    button(page, "Logout").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()
    sign_in(page)
    expect(heading(page, "Two-Step Verification", 1)).to_be_visible()
    assert page.url.endswith("/login/verify")
    textbox(page, "Verification Code").fill("123456")
    button(page, "Verify").click()
    expect(page.get_by_role("main").get_by_text("That Verification Code is not correct.").first).to_be_visible()
    textbox(page, "Verification Code").fill(codes[0])
    button(page, "Verify").click()
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()


def test_producer_turns_two_step_off_with_password_and_code(app, page, js):
    make_account(app)
    sign_in_to_home(page)
    codes = set_up_two_step(page)
    page.goto("/account/profile")
    turn_off = page.locator("form", has=page.get_by_role("button", name="Turn Off Two-Step Verification"))
    password_input(turn_off, "Current Password").fill("bcbs4tx9")
    textbox(turn_off, "Verification Code").fill(codes[1])
    button(page, "Turn Off Two-Step Verification").click()
    expect(says(page, "Two-step verification is now off.")).to_be_visible()
    expect(link(page, "Set Up Two-Step Verification")).to_be_visible()
