"""Nothing silent: with JavaScript on, every error answer and a lost connection show a message in place;
a form sent from an expired page (the cookie gone) comes back filled, with JavaScript on and off."""
import pytest
from flask import request
from peewee import OperationalError
from playwright.sync_api import expect
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
    TooManyRequests,
)

from rpp.messages import text
from tests.browser.journeys import (
    button,
    fill_account,
    fill_passwords,
    fill_state,
    heading,
    lose_the_session,
    password_input,
    says,
    settle,
    sign_in_to_home,
    state_group,
    submit,
    textbox,
)
from tests.helpers import make_account

FAILURES = {400: ("error.bad_request", BadRequest), 403: ("error.forbidden", Forbidden),
            404: ("error.not_found", NotFound), 405: ("error.wrong_method", MethodNotAllowed),
            413: ("error.too_large", RequestEntityTooLarge), 429: ("error.too_many_requests", TooManyRequests),
            500: ("error.server", InternalServerError),
            503: ("error.database", lambda: OperationalError("the database is down"))}


def fill_sign_in(page):
    textbox(page, "User Name").fill("jessicacamp")
    password_input(page, "Password").fill("bcbs4tx9")


@pytest.mark.parametrize("status", FAILURES)
def test_an_error_answer_to_login_is_shown_in_place(app, js_page, status):
    name, failure = FAILURES[status]

    @app.before_request
    def fail():
        if request.path == "/login":
            raise failure()

    page = js_page
    page.goto("/")
    fill_sign_in(page)
    button(page, "Login").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(text(f"{name}.message"))
    expect(heading(page, text(f"{name}.title"), 1)).to_be_focused()


def test_a_lost_connection_is_said_above_the_form(app, js_page):
    make_account(app)
    page = js_page
    page.goto("/")
    page.route("**/login", lambda route: route.abort())
    fill_sign_in(page)
    button(page, "Login").click()
    expect(page.get_by_role("alert")).to_have_text(text("error.connection_lost"))
    expect(page.get_by_role("alert")).to_be_focused()
    page.unroute("**/login")
    button(page, "Login").click()
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()


def test_login_from_an_expired_page_comes_back_with_the_user_name(app, page, js):
    make_account(app)
    page.goto("/")
    fill_sign_in(page)
    lose_the_session(page)
    submit(page, "Login")
    expect(says(page, text("error.form_expired"))).to_be_visible()
    expect(textbox(page, "User Name")).to_have_value("jessicacamp")
    expect(password_input(page, "Password")).to_have_value("")
    if js:  # requests outside a form send the fresh token too, once htmx has settled the swap
        fresh = page.locator("#sign-in input[name=csrf_token]").input_value()
        page.wait_for_function(
            "fresh => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'] === fresh", arg=fresh)
    password_input(page, "Password").fill("bcbs4tx9")
    submit(page, "Login")
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()


def test_continue_from_an_expired_page_comes_back_filled(page, js):
    page.goto("/register")
    fill_account(page)
    fill_state(page, "TX", city="Abilene")
    lose_the_session(page)
    submit(page, "Continue")
    expect(says(page, text("error.form_expired"))).to_be_visible()
    expect(textbox(page, "User Name")).to_have_value("jessicacamp")
    expect(textbox(state_group(page, "TX"), "City")).to_have_value("Abilene")
    fill_passwords(page)
    submit(page, "Continue")
    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()


def test_update_profile_from_an_expired_page_comes_back_filled(app, page, js):
    make_account(app)
    sign_in_to_home(page)
    page.goto("/account/profile")
    details = page.get_by_role("group", name="Texas Registration Information")
    textbox(details, "City").fill("Abilene")
    settle(page)
    page.evaluate("""() => {  // the page's token expired (its session lives on)
        document.querySelectorAll("input[name=csrf_token]").forEach(input => { input.value = "expired"; });
        document.body.setAttribute("hx-headers", '{"X-CSRFToken": "expired"}');
    }""")
    submit(page, "Update Profile")
    expect(says(page, text("error.form_expired"))).to_be_visible()
    expect(textbox(details, "City")).to_have_value("Abilene")
    submit(page, "Update Profile")
    expect(says(page, "Your profile has been updated.")).to_be_visible()


def test_update_profile_after_the_cookie_is_gone_asks_to_log_in_and_comes_back(app, page, js):
    make_account(app)
    sign_in_to_home(page)
    page.goto("/account/profile")
    textbox(page.get_by_role("group", name="Texas Registration Information"), "City").fill("Abilene")
    settle(page)
    lose_the_session(page)
    button(page, "Update Profile").click()
    expect(says(page, text("error.session_expired"))).to_be_visible()
    fill_sign_in(page)
    submit(page, "Login")
    expect(heading(page, "Edit Profile", 1)).to_be_visible()
    assert page.url.endswith("/account/profile")
