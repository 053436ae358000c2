"""Edit Your Profile, Register for Another State and Change Your Password in a browser.

(This file replaced, by accident, a first version written by the account helper with the same test
names; the journeys are the same.)
"""
import pytest
from playwright.sync_api import expect

from rpp.events import record_event
from rpp.models import Account
from rpp.validators import ZIP_RULE
from tests.browser.journeys import (
    accounts,
    button,
    fill_state,
    heading,
    link,
    open_context,
    open_menu,
    password_input,
    registrations,
    says,
    settle,
    sign_in,
    sign_in_to_home,
    state_group,
    textbox,
)
from tests.helpers import make_account


def edit_profile(page):
    open_menu(page, "Account")
    link(page, "Edit Profile").click()
    expect(heading(page, "Edit Profile", 1)).to_be_visible()


def test_producer_updates_the_profile(app, page, js):
    make_account(app)
    sign_in_to_home(page)
    edit_profile(page)
    details = page.get_by_role("group", name="Texas Registration Information")
    expect(says(page, "Agent Unique ID:")).to_be_visible()
    expect(textbox(details, "Agent Unique ID")).to_have_count(0)  # shown, never editable
    textbox(details, "Company Name").fill("Camp Insurance")
    textbox(details, "Phone").fill("815-555-0000")
    settle(page)
    button(page, "Update Profile").click()
    expect(says(page, "Your profile has been updated.")).to_be_visible()
    link(page, "Back to Profile Page").click()
    expect(textbox(details, "Company Name")).to_have_value("Camp Insurance")
    expect(textbox(details, "Phone")).to_have_value("8155550000")


def test_bad_profile_value_shows_beside_its_field(app, page, js):
    make_account(app)
    sign_in_to_home(page)
    edit_profile(page)
    details = page.get_by_role("group", name="Texas Registration Information")
    textbox(details, "City").fill("")
    textbox(details, "Zip Code").fill("1234")
    settle(page)
    button(page, "Update Profile").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary.get_by_role("link")).to_have_text(["Texas: Please enter your City.", f"Texas: {ZIP_RULE}"])
    summary.get_by_role("link", name=f"Texas: {ZIP_RULE}").click()
    expect(textbox(details, "Zip Code")).to_be_focused()
    expect(textbox(details, "Zip Code")).to_have_attribute("aria-invalid", "true")
    expect(textbox(details, "Zip Code")).to_have_value("1234")


def test_producer_registers_for_another_state(app, page, js):
    make_account(app)
    sign_in_to_home(page)
    edit_profile(page)
    link(page, "Register for Another State").click()
    expect(heading(page, "Register for Another State", 1)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Register for Texas")).to_have_count(0)  # already registered
    fill_state(page, "OK")
    button(page, "Continue").click()
    expect(heading(page, "Confirm Oklahoma Registration Information")).to_be_visible()
    link(page, "Edit").click()
    expect(textbox(state_group(page, "OK"), "Agent Unique ID")).to_have_value("444444444")
    button(page, "Continue").click()
    button(page, "Submit Registration").click()
    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()
    link(page, "Back to Profile Page").click()
    expect(heading(page, "Edit Profile", 1)).to_be_visible()
    assert registrations(app) == {("jessicacamp", "TX"): "active", ("jessicacamp", "OK"): "pending"}
    assert len(accounts(app)) == 1


def test_producer_changes_the_password(app, page, js):
    make_account(app)
    sign_in_to_home(page)
    edit_profile(page)
    password_input(page.locator("#password-panel"), "Current Password").fill("wrong1")
    password_input(page, "New Password").fill("newpw42")
    password_input(page, "Confirm New Password").fill("newpw42")
    button(page, "Update Password").click()
    current_password = password_input(page.locator("#password-panel"), "Current Password")
    expect(current_password).to_have_attribute("aria-invalid", "true")

    password_input(page.locator("#password-panel"), "Current Password").fill("bcbs4tx9")
    password_input(page, "New Password").fill("newpw42")
    password_input(page, "Confirm New Password").fill("newpw42")
    button(page, "Update Password").click()
    expect(says(page, "Your password has been updated.")).to_be_visible()
    link(page, "Back to Profile Page").click()
    expect(heading(page, "Edit Profile", 1)).to_be_visible()

    open_menu(page, "Account")
    button(page, "Logout").click()
    sign_in(page, password="newpw42")
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()


def test_update_messages_are_swapped_in_place(app, js_page):
    make_account(app)
    page = js_page
    sign_in_to_home(page)
    edit_profile(page)
    page.evaluate("window.samePage = true")
    details = page.get_by_role("group", name="Texas Registration Information")
    textbox(details, "City").fill("Dallas")
    settle(page)
    button(page, "Update Profile").click()
    updated = heading(page, "Profile Update", 1)
    expect(updated).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Profile Update")
    expect(says(page, "Your profile has been updated.")).to_be_visible()
    # The other panels of the page stay where they were.
    expect(heading(page, "Change Password", 2)).to_be_visible()

    password_input(page.locator("#password-panel"), "Current Password").fill("bcbs4tx9")
    password_input(page, "New Password").fill("newpw42")
    password_input(page, "Confirm New Password").fill("newpw43")
    button(page, "Update Password").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("There is a problem")
    # Passwords are never sent back.
    password_input(page.locator("#password-panel"), "Current Password").fill("bcbs4tx9")
    password_input(page, "New Password").fill("newpw42")
    password_input(page, "Confirm New Password").fill("newpw42")
    button(page, "Update Password").click()
    expect(heading(page, "Password Update", 2)).to_be_focused()
    expect(says(page, "Your password has been updated.")).to_be_visible()
    assert page.evaluate("window.samePage === true")


# On a phone (320 and 375 px): nothing clipped, nothing scrolling sideways inside a box.

# Boxes whose content is wider than they are and that clip or scroll it: none but a text input (whose
# typed text scrolls by nature) and what is only there for screen readers (1 px wide).
CLIPPED_OR_SCROLLING = """() => [...document.querySelectorAll("main *")].filter(element =>
    element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== "visible"
    && !["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName) && element.getBoundingClientRect().width > 1)
    .map(element => element.tagName + "." + element.className)"""


@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_activity_and_signed_in_browsers_are_stacked_rows_that_fit(app, browser, live_server, page, js,
                                                                            width):
    make_account(app)
    with app.app_context():  # a long address and detail, as an IPv6 client and a browser's name give
        record_event("login", Account.get(), "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                     "Chrome on Android (Pixel 8 Pro) AppleWebKit/537.36 (KHTML, like Gecko)")
    other = open_context(browser, live_server, js)  # a second browser signed in: two blocks to list
    sign_in_to_home(other.new_page())
    page.set_viewport_size({"width": width, "height": 800})
    sign_in_to_home(page)
    edit_profile(page)
    activity = page.get_by_role("table", name="Recent Account Activity")
    expect(activity.get_by_role("row")).not_to_have_count(0)
    assert page.evaluate(CLIPPED_OR_SCROLLING) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Each row a block of lines, each line named by its column.
    when, what, address = activity.get_by_role("row").nth(1).get_by_role("cell").all()
    assert when.bounding_box()["y"] < what.bounding_box()["y"] < address.bounding_box()["y"]
    assert what.evaluate("cell => getComputedStyle(cell, '::before').content") == '"What happened: "'
    sessions = page.locator(".session-list .session")
    expect(sessions).to_have_count(2)
    for session in sessions.all():
        box = session.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    other.close()
