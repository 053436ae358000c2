"""Register for the Portal in a real browser, with JavaScript on and off."""
import http.cookiejar
import re
import threading
import urllib.request
from urllib.parse import urlencode

from playwright.sync_api import expect

from rpp.messages import text
from rpp.states import BCBS_STATES as STATE_NAMES
from rpp.validators import ZIP_RULE
from tests.browser.journeys import (
    accounts,
    button,
    fill_account,
    fill_passwords,
    fill_state,
    heading,
    link,
    open_context,
    password_input,
    registrations,
    says,
    state_group,
    textbox,
)
from tests.helpers import registration_form


def test_register_for_two_states_continue_edit_continue_submit(app, page, js):
    page.goto("/")
    link(page, "Register").click()
    expect(heading(page, "Registration", 1)).to_be_visible()
    expect(says(page, "Note: User Name and Password are case sensitive.")).to_be_visible()
    fill_account(page)
    fill_state(page, "TX")
    fill_state(page, "IL", company_name="Camp Agency")
    button(page, "Continue").click()

    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()
    expect(page).to_have_url(page.url.split("/register")[0] + "/register/confirm")
    expect(says(page, "Print this page for your records.")).to_be_visible()
    expect(heading(page, "Confirm Texas Registration Information")).to_be_visible()
    expect(heading(page, "Confirm Illinois Registration Information")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("bcbs4tx9")  # the password is never shown

    link(page, "Edit").click()
    expect(heading(page, "Registration", 1)).to_be_visible()
    expect(textbox(page, "User Name")).to_have_value("jessicacamp")
    expect(textbox(state_group(page, "IL"), "Company Name")).to_have_value("Camp Agency")
    expect(page.get_by_role("checkbox", name="Register for Texas")).to_be_checked()
    textbox(state_group(page, "TX"), "City").fill("Dallas")
    # Passwords are never sent back into the page, and the page says so beside them before Continue.
    expect(password_input(page, "Password")).to_have_value("")
    expect(password_input(page, "Password")).to_have_accessible_description(
        re.compile("^" + re.escape(text("registration.password_again"))))
    fill_passwords(page)
    button(page, "Continue").click()

    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()
    texas = heading(page, "Confirm Texas Registration Information").locator("xpath=following-sibling::dl[1]")
    expect(texas).to_contain_text("City:Dallas")
    button(page, "Submit Registration").click()

    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()
    expect(says(page, "Thank you, your registration information has been submitted. You will receive "
                            "an e-mail confirming your activation within 1 business day.")).to_be_visible()
    assert [a.user_name for a in accounts(app)] == ["jessicacamp"]
    assert registrations(app) == {("jessicacamp", "TX"): "pending", ("jessicacamp", "IL"): "pending"}

    link(page, "Back to Login Page").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()


def test_errors_are_shown_beside_the_fields_and_in_a_summary(app, page, js):
    page.goto("/register")
    fill_account(page, user_name="jc", confirm="abc124")
    fill_state(page, "TX", zip_code="9999")
    fill_state(page, "IL", city="")
    button(page, "Continue").click()

    summary = page.get_by_role("alert").filter(has=heading(page, "There is a problem"))
    expect(summary).to_be_visible()
    # In the page's order, each per-state error naming its state.
    expect(summary.get_by_role("link")).to_have_text([
        text("field.user_name"), "Confirm Password must match Password.", "Illinois: Please enter your City.",
        f"Texas: {ZIP_RULE}"])
    summary.get_by_role("link", name="Illinois: Please enter your City.").click()
    expect(textbox(state_group(page, "IL"), "City")).to_be_focused()
    summary.get_by_role("link", name="Confirm Password must match Password.").click()
    expect(password_input(page, "Confirm Password")).to_be_focused()
    expect(password_input(page, "Confirm Password")).to_have_attribute("aria-invalid", "true")
    zip_code = textbox(state_group(page, "TX"), "Zip Code")
    expect(zip_code).to_have_value("9999")  # what the producer typed is kept
    expect(zip_code).to_have_accessible_description("Error: " + ZIP_RULE)
    assert accounts(app) == []


def test_no_state_selected_is_refused(page, js):
    page.goto("/register")
    fill_account(page)
    button(page, "Continue").click()
    message = "Please select at least one Blue Cross and Blue Shield (BCBS) state"
    expect(page.get_by_role("link", name=message)).to_be_visible()
    page.get_by_role("link", name=message).click()
    expect(heading(page, "Registration", 1)).to_be_visible()


def test_unchecked_states_are_ignored_without_javascript(app, browser, live_server):
    context = open_context(browser, live_server, js=False)
    page = context.new_page()
    page.goto("/register")
    # Only the ticked block is validated and stored: Montana, filled in and then unticked, is not.
    fill_account(page)
    fill_state(page, "TX")
    montana = page.get_by_role("checkbox", name="Register for Montana")
    montana.check()
    textbox(state_group(page, "MT"), "Zip Code").fill("not a zip")
    montana.uncheck()
    button(page, "Continue").click()
    button(page, "Submit Registration").click()
    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()
    assert registrations(app) == {("jessicacamp", "TX"): "pending"}
    context.close()


def test_six_plain_posts_of_submit_registration_at_once_through_a_real_server_make_one_account(app, live_server):
    """JavaScript off, Submit Registration sent six times at once for one draft (an impatient
    producer, a retrying proxy): one account, and every answer leads to the submitted page."""
    jar = http.cookiejar.CookieJar()
    producer = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = producer.open(live_server + "/register").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    confirm = producer.open(live_server + "/register", urlencode(dict(registration_form(), csrf_token=token)).encode())
    assert confirm.url.endswith("/register/confirm")
    answers = [None] * 6
    start = threading.Barrier(6)

    def submit(index):
        copy = http.cookiejar.CookieJar()
        for cookie in jar:
            copy.set_cookie(cookie)
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(copy))
        start.wait()
        answer = browser.open(live_server + "/register/submit", urlencode({"csrf_token": token}).encode())
        answers[index] = (answer.status, answer.url, answer.read().decode())

    threads = [threading.Thread(target=submit, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for status, url, body in answers:  # urllib followed each 303 with that answer's own cookie
        assert (status, url) == (200, live_server + "/register/submitted")
        assert "Thank you, your registration information has been submitted." in body
    assert [a.user_name for a in accounts(app)] == ["jessicacamp"]
    assert registrations(app) == {("jessicacamp", "TX"): "pending"}


def test_user_name_and_password_rules_describe_their_fields(page, js):
    page.goto("/register")
    expect(textbox(page, "User Name")).to_have_accessible_description(text("user_name.help"))
    expect(password_input(page, "Password")).to_have_accessible_description(text("password.help"))
    expect(says(page, text("user_name.help"))).to_be_visible()


def test_names_in_any_script_register_as_typed(app, page, js):
    page.goto("/register")
    fill_account(page, first_name="José", last_name="O’Brien-Núñez")
    fill_state(page, "TX", city="Española")
    expect(textbox(page, "First Name")).not_to_have_attribute("aria-invalid", "true")
    button(page, "Continue").click()
    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("O’Brien-Núñez")
    button(page, "Submit Registration").click()
    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()
    account = accounts(app)[0]
    assert (account.first_name, account.last_name) == ("José", "O’Brien-Núñez")


def test_only_a_ticked_states_fields_are_shown(page, js):
    """With JavaScript off too (CSS :has()), an unticked state's block is only its checkbox."""
    page.goto("/register")
    closed_height = page.evaluate("document.documentElement.scrollHeight")
    for _code, name in STATE_NAMES.items():
        expect(page.get_by_role("checkbox", name=f"Register for {name}")).to_be_visible()
        expect(page.get_by_role("group", name=name)).to_be_hidden()
    page.get_by_role("checkbox", name="Register for Texas").check()
    expect(page.get_by_role("group", name="Texas")).to_be_visible()
    expect(page.get_by_role("group", name="Illinois")).to_be_hidden()
    for name in STATE_NAMES.values():
        page.get_by_role("checkbox", name=f"Register for {name}").check()
        expect(page.get_by_role("group", name=name)).to_be_visible()
    open_height = page.evaluate("document.documentElement.scrollHeight")
    assert closed_height < open_height / 2, (closed_height, open_height)
    page.get_by_role("checkbox", name="Register for Texas").uncheck()
    expect(page.get_by_role("group", name="Texas")).to_be_hidden()


def leave(page, field, value):
    """Type `value` into a field and Tab on, then wait for inline validation to settle (focus stays put)."""
    field.fill(value)
    field.press("Tab")
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def test_the_error_summary_follows_inline_validation(app, page, js):
    page.goto("/register")
    fill_account(page, first_name="")
    fill_state(page, "TX", zip_code="9999")
    button(page, "Continue").click()
    summary = page.locator(".error-summary")
    first_name_error = text("field.required.first_name")
    expect(summary.get_by_role("link")).to_have_text([first_name_error, f"Texas: {ZIP_RULE}"])

    leave(page, textbox(page, "First Name"), "Jessica")
    expect(textbox(page, "Last Name")).to_be_focused()  # focus goes where the producer went
    texas = state_group(page, "TX")
    leave(page, textbox(texas, "City"), "")
    if not js:  # nothing checks a field before Continue: the summary stays as the page came
        expect(summary.get_by_role("link")).to_have_text([first_name_error, f"Texas: {ZIP_RULE}"])
        return
    # Each line comes and goes with its field's own message, in the page's order.
    expect(texas.get_by_role("combobox", name="State")).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Texas: Please enter your City.", f"Texas: {ZIP_RULE}"])
    summary.get_by_role("link", name="Texas: Please enter your City.").click()
    expect(textbox(texas, "City")).to_be_focused()
    leave(page, textbox(texas, "City"), "Austin")
    leave(page, textbox(texas, "Zip Code"), "78701")
    expect(summary).to_have_count(0)  # the box goes with its last line
    fill_passwords(page)  # never sent back into the page
    button(page, "Continue").click()
    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()


def test_a_second_state_with_same_details_as_the_first(app, page, js):
    """Ticked "Same details as": with JavaScript the fields fill at once, without it Continue copies them;
    either way the confirmation shows Texas with Illinois's details and its own Agent Unique ID."""
    page.goto("/register")
    fill_account(page)
    fill_state(page, "IL", company_name="Camp Agency", city="Chicago")
    page.get_by_role("checkbox", name="Register for Texas", exact=True).check()
    texas = state_group(page, "TX")
    texas.get_by_role("checkbox", name=re.compile("^Same details as")).check()
    if js:
        expect(textbox(texas, "City")).to_have_value("Chicago")
    textbox(texas, "Agent Unique ID").fill("999999999")
    button(page, "Continue").click()
    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()
    confirmed = page.get_by_role("main").inner_text().split("Confirm Texas Registration Information")[1]
    assert "Chicago" in confirmed and "Camp Agency" in confirmed and "999999999" in confirmed
