"""What htmx adds in the browser: inline validation, panels swapped in place, Back, focus and announcements."""
import re
import time

import pytest
from flask import request
from playwright.sync_api import expect

from rpp.messages import text
from tests.browser.journeys import (
    LOCKED,
    MISMATCH,
    accounts,
    button,
    fill_account,
    fill_state,
    heading,
    open_context,
    password_input,
    registrations,
    sign_in,
    state_group,
    submit,
    textbox,
)
from tests.helpers import make_account

TAKEN = "This User Name is already taken. Please choose another User Name."


def stay_on_this_page(page):
    """Mark the loaded document; the mark survives swaps but not a page load."""
    page.evaluate("window.samePage = true")


def still_on_the_same_page(page):
    return page.evaluate("window.samePage === true")


def announced(page):
    return page.locator("#announcer")


def test_inline_validation_shows_the_error_without_a_page_load(app, js_page):
    make_account(app)
    page = js_page
    page.goto("/register")
    stay_on_this_page(page)
    user_name = textbox(page, "User Name")
    user_name.fill("JessicaCamp")  # taken, compared without case
    user_name.press("Tab")
    expect(user_name).to_have_accessible_description(f"{text('user_name.help')} Error: {TAKEN}")
    expect(user_name).to_have_attribute("aria-invalid", "true")
    user_name.fill("jcamp2")
    user_name.press("Tab")
    expect(user_name).to_have_accessible_description(text("user_name.help"))
    expect(user_name).not_to_have_attribute("aria-invalid", "true")

    fill_state(page, "TX")
    zip_code = textbox(state_group(page, "TX"), "Zip Code")
    zip_code.fill("123")
    zip_code.press("Tab")
    expect(zip_code).to_have_accessible_description("Error: " + text("field.zip_code"))

    password = password_input(page, "Password")
    password.fill("ab!")
    password.press("Tab")
    expect(password).to_have_accessible_description(
        f"{text('password.help')} Error: {text('field.password.password')}")
    expect(password).to_have_value("ab!")  # the typed password is never replaced
    assert still_on_the_same_page(page)


def test_inline_validation_keeps_up_with_a_quick_producer_on_a_slow_line(app, js_page):
    @app.before_request
    def slow_line():
        if request.path.endswith("/validate"):
            time.sleep(0.3)

    page = js_page
    page.goto("/register")
    first_name, last_name = textbox(page, "First Name"), textbox(page, "Last Name")
    first_name.fill("J0")
    first_name.press("Tab")
    last_name.fill("C4mp")  # left while the first check is still on its way
    last_name.press("Tab")
    expect(first_name).to_have_accessible_description(re.compile("^Error: First Name may contain only"))
    expect(last_name).to_have_accessible_description(re.compile("^Error: Last Name may contain only"))


def test_continue_edit_submit_swap_in_place_and_back_reloads_the_form(app, js_page):
    page = js_page
    page.goto("/register")
    stay_on_this_page(page)
    fill_account(page)
    fill_state(page, "TX")
    button(page, "Continue").click()

    confirm = heading(page, "Confirm Your Registration", 1)
    expect(confirm).to_be_focused()
    expect(announced(page)).to_have_text("Confirm Your Registration")
    expect(page).to_have_url(f"{page.url.split('/register')[0]}/register/confirm")
    assert still_on_the_same_page(page)

    page.go_back()  # the server's form again, filled from the draft
    expect(heading(page, "Registration", 1)).to_be_visible()
    expect(textbox(page, "User Name")).to_have_value("jessicacamp")
    page.go_forward()
    expect(confirm).to_be_visible()

    stay_on_this_page(page)
    page.get_by_role("link", name="Edit").click()
    expect(heading(page, "Registration", 1)).to_be_focused()
    expect(textbox(state_group(page, "TX"), "City")).to_have_value("Testville")
    password_input(page, "Password").fill("bcbs4tx9")
    password_input(page, "Confirm Password").fill("bcbs4tx9")
    button(page, "Continue").click()
    expect(confirm).to_be_focused()
    button(page, "Submit Registration").click()
    submitted = heading(page, "Registration Information Submitted", 1)
    expect(submitted).to_be_focused()
    expect(announced(page)).to_have_text("Registration Information Submitted")
    assert still_on_the_same_page(page)

    page.go_back()  # no way back into a submitted registration: the submitted page again
    expect(submitted).to_be_visible()
    assert len(accounts(app)) == 1


def test_errors_move_focus_to_the_summary_and_are_announced(js_page):
    page = js_page
    page.goto("/register")
    fill_account(page)
    button(page, "Continue").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(announced(page)).to_contain_text(text("registration.select_a_state"))


def test_login_errors_and_lockout_swap_into_the_sign_in_box(app, js_page):
    make_account(app)
    page = js_page
    page.goto("/")
    stay_on_this_page(page)
    textbox(page, "User Name").fill("jessicacamp")
    for attempt, message in (("wrong1", MISMATCH), ("wrong2", MISMATCH), ("wrong3", LOCKED)):
        password_input(page, "Password").fill(attempt)
        submit(page, "Login")  # the answer is in before the next attempt (the last alert says the same)
        alert = page.get_by_role("region", name="Please Sign-In").get_by_role("alert")
        expect(alert).to_contain_text(message)
        expect(alert).to_be_focused()
        expect(announced(page)).to_contain_text(message)
        expect(textbox(page, "User Name")).to_have_value("jessicacamp")
        expect(password_input(page, "Password")).to_have_value("")
    assert still_on_the_same_page(page)
    assert page.url.endswith("/")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_double_click_on_submit_registration_creates_one_account(app, browser, live_server, js):
    context = open_context(browser, live_server, js=js)
    page = context.new_page()
    page.goto("/register")
    fill_account(page)
    fill_state(page, "TX")
    button(page, "Continue").click()
    button(page, "Submit Registration").dblclick()
    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()
    context.close()
    assert [a.user_name for a in accounts(app)] == ["jessicacamp"]
    assert registrations(app) == {("jessicacamp", "TX"): "pending"}


def test_two_browsers_submitting_the_same_user_name_make_one_account(app, browser, live_server):
    contexts = [open_context(browser, live_server, js=True) for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    for page, agent in zip(pages, ("TX", "IL"), strict=False):
        page.goto("/register")
        fill_account(page)
        fill_state(page, agent)
        button(page, "Continue").click()
        expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()
    for page in pages:  # both clicks before either answer is read
        button(page, "Submit Registration").click(no_wait_after=True)
    outcomes = []
    for page in pages:
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Confirm Your Registration")
        outcomes.append(page.get_by_role("heading", level=1).inner_text())
    for context in contexts:
        context.close()
    assert sorted(outcomes) == ["Registration", "Registration Information Submitted"]
    assert len(accounts(app)) == 1


def test_htmx_is_fetched_once_across_pages_and_login(app, js_page):
    """SPEC §9: htmx cached after the first page, even though logging in changes the session cookie."""
    fetched = []

    @app.before_request
    def count_htmx():
        if request.path.endswith("/htmx.min.js"):
            fetched.append(request.path)

    make_account(app)
    page = js_page
    page.goto("/")
    page.goto("/contact-us")
    page.goto("/register")
    sign_in(page)
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
    page.goto("/contact-us")
    assert page.evaluate("typeof htmx") == "object"
    assert len(fetched) == 1


def test_recovery_answers_swap_in_place_with_focus_and_announcement(app, js_page):
    make_account(app)
    page = js_page
    page.goto("/forgot-user-name")
    stay_on_this_page(page)
    button(page, "Submit").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_focused()
    textbox(page, "Agent Unique ID").fill("999999999")
    textbox(page, "E-mail Address").fill("testproducer@gmail.com")
    button(page, "Submit").click()
    sent = "We sent your user name in an email to your email address on file."
    expect(page.get_by_role("status")).to_have_text(sent)
    expect(page.get_by_role("status")).to_be_focused()
    expect(announced(page)).to_have_text(sent)
    assert still_on_the_same_page(page)
    expect(page).to_have_url(re.compile(r"/forgot-user-name/sent$"))


def test_a_form_too_large_to_send_is_answered_in_place(js_page):
    page = js_page
    page.goto("/")
    stay_on_this_page(page)
    textbox(page, "User Name").fill("x" * 1_100_000)  # over MAX_CONTENT_LENGTH (1 MB)
    password_input(page, "Password").fill("bcbs4tx9")
    button(page, "Login").click()
    expect(page.get_by_role("main")).to_contain_text(text("error.too_large.message"))
    assert still_on_the_same_page(page)
