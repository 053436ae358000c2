"""Error pages (rpp/errors.py): the page, or for htmx the partial the page includes, with the catalogue's words."""
import pytest
from flask import request
from peewee import OperationalError
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
from rpp.models import RegistrationDraft
from tests.helpers import login, make_account, profile_form, registration_form, state_registration, visible
from tests.helpers import text as text_of


def test_a_missing_page_is_a_full_page_and_for_htmx_the_partial(portal):
    page = portal.get("/no-such-page")
    assert page.status_code == 404 and "<html" in page.get_data(as_text=True)
    assert text("error.not_found.title") in visible(page) and text("error.not_found.message") in visible(page)
    fragment = portal.get("/no-such-page", htmx=True)
    assert fragment.status_code == 404 and "<html" not in fragment.get_data(as_text=True)
    assert text("error.not_found.message") in visible(fragment) and "HX-Request" in fragment.headers["Vary"]


def test_a_form_that_cannot_come_back_explains_what_to_do(app, portal):
    make_account(app)
    login(portal)
    response = portal.post("/account/sessions/sign-out-everywhere-else", csrf=False)
    assert response.status_code == 400 and text("error.csrf.message") in visible(response)


# A GET on an address that only takes a form's POST (a reload or bookmark after a JavaScript-off form)
# goes to the page that address belongs to.

POST_ONLY_PAGES = [
    ("/login", "/"), ("/logout", "/"), ("/register/submit", "/register"), ("/register/validate", "/register"),
    ("/account/register-another-state/submit", "/account/register-another-state"),
    ("/account/profile/validate", "/account/profile"), ("/account/two-step/turn-off", "/account/"),
    ("/account/sessions/sign-out-everywhere-else", "/account/"), ("/staff/logout", "/staff/"),
    ("/staff/registrations/7/activate", "/staff/"), ("/staff/registrations/7/reject", "/staff/"),
    ("/staff/registrations/7/revoke", "/staff/"), ("/staff/registrations/bulk/apply", "/staff/"),
    ("/staff/producers/7/unlock", "/staff/producers/7"), ("/staff/roster/apply", "/staff/roster"),
    ("/staff/mail/7/retry", "/staff/mail"), ("/staff/users/7/disable", "/staff/users"),
]


@pytest.mark.parametrize("address, page", POST_ONLY_PAGES)
def test_opening_a_post_only_address_goes_to_its_page(portal, address, page):
    response = portal.get(address)
    assert response.status_code == 303 and response.headers["Location"] == page
    assert portal.client.head(address).status_code == 303


def test_the_account_address_is_edit_profile(app, portal):
    make_account(app)
    login(portal)
    assert portal.get("/account/").headers["Location"] == "/account/profile"


def test_a_wrong_method_page_says_what_happened(portal):
    response = portal.client.put("/login")
    assert response.status_code == 405
    assert f"{text('error.wrong_method.title')} – Retail Producer Portal" in response.get_data(as_text=True)
    assert text("error.wrong_method.message") in visible(response)
    assert text("error.not_found.title") not in visible(response)


# With htmx, every error answer is a message in place: the error panel (role="alert") retargeted to
# the main content (static/js/portal.js swaps 4xx and 5xx answers).

FAILURES = {400: BadRequest, 403: Forbidden, 404: NotFound, 405: MethodNotAllowed, 413: RequestEntityTooLarge,
            429: TooManyRequests, 500: InternalServerError, 503: lambda: OperationalError("the database is down")}


@pytest.mark.parametrize("status", FAILURES)
def test_every_error_answer_to_htmx_is_an_alert_for_the_main_content(app, portal, status):
    @app.before_request
    def fail():
        if request.path == "/login":
            raise FAILURES[status]()

    response = portal.post("/login", {"user_name": "jessicacamp", "password": "bcbs4tx9"}, htmx=True)
    assert response.status_code == status
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#main", "innerHTML")
    assert 'role="alert"' in text_of(response) and "<html" not in text_of(response)


def test_the_words_for_a_lost_connection_are_on_every_page(portal):
    page = text_of(portal.get("/"))
    assert f'data-connection-lost="{text("error.connection_lost")}"' in page
    assert f'data-no-answer="{text("error.no_answer")}"' in page


# A form from an expired page (the CSRF token too old, or the session cookie gone) comes back filled,
# passwords apart, saying so; nothing is done.

@pytest.mark.parametrize("htmx", [False, True])
def test_login_from_an_expired_page_comes_back_with_the_user_name(app, client, portal, htmx):
    make_account(app)
    portal.get("/")
    client.delete_cookie("rpp_session")
    response = portal.post("/login", {"user_name": "jessicacamp", "password": "bcbs4tx9"}, htmx=htmx)
    assert response.status_code == 400 and text("error.form_expired") in visible(response)
    assert 'value="jessicacamp"' in text_of(response) and "bcbs4tx9" not in text_of(response)
    assert login(portal).headers["Location"] == "/home"  # the fresh token works


@pytest.mark.parametrize("htmx", [False, True])
def test_continue_from_an_expired_page_comes_back_filled(client, portal, htmx):
    portal.get("/register")
    client.delete_cookie("rpp_session")
    response = portal.post("/register", registration_form(**{"TX-city": "Abilene"}), htmx=htmx)
    assert response.status_code == 400 and text("error.form_expired") in visible(response)
    page = text_of(response)
    assert 'value="jessicacamp"' in page and 'value="Abilene"' in page and "bcbs4tx9" not in page
    assert RegistrationDraft.select().count() == 0
    assert portal.post("/register", registration_form()).headers["Location"] == "/register/confirm"


@pytest.mark.parametrize("htmx", [False, True])
def test_update_profile_from_an_expired_page_comes_back_filled(app, portal, htmx):
    make_account(app)
    login(portal)
    response = portal.post("/account/profile", {**profile_form(), "city": "Abilene", "csrf_token": "expired"},
                           csrf=False, htmx=htmx)
    assert response.status_code == 400 and text("error.form_expired") in visible(response)
    assert 'value="Abilene"' in text_of(response)
    assert state_registration("TX").city == "Testville"


@pytest.mark.parametrize("htmx", [False, True])
def test_update_profile_after_the_cookie_is_gone_asks_to_log_in_and_comes_back(app, client, portal, htmx):
    make_account(app)
    login(portal)
    client.delete_cookie("rpp_session")
    response = portal.post("/account/profile", {**profile_form(), "city": "Abilene"}, htmx=htmx)
    where = response.headers["HX-Redirect"] if htmx else response.headers["Location"]
    assert where == "/?next=/account/profile" and state_registration("TX").city == "Testville"
    assert text("error.session_expired") in visible(portal.get(where))
    signed_in = portal.post("/login", {"user_name": "jessicacamp", "password": "bcbs4tx9", "next": "/account/profile"})
    assert signed_in.headers["Location"] == "/account/profile"


@pytest.mark.parametrize("path, form, kept", [
    ("/forgot-user-name", {"agent_id": "999999999", "email": "testproducer@gmail.com"}, 'value="999999999"'),
    ("/reset-password", {"user_name": "jessicacamp", "email": "testproducer@gmail.com"}, 'value="jessicacamp"'),
    ("/staff/login", {"user_name": "alice", "password": "a staff password"}, 'value="alice"'),
])
def test_other_forms_from_an_expired_page_come_back_filled(client, portal, outbox, path, form, kept):
    portal.get("/contact-us")
    client.delete_cookie("rpp_session")
    response = portal.post(path, form)
    assert response.status_code == 400 and text("error.form_expired") in visible(response)
    assert kept in text_of(response) and "a staff password" not in text_of(response)
    assert outbox == []


def test_change_password_from_an_expired_page_comes_back(app, portal):
    make_account(app)
    login(portal)
    response = portal.post("/account/change-password", {"current_password": "bcbs4tx9", "new_password": "newpw42",
                                                        "confirm_new_password": "newpw42", "csrf_token": "expired"},
                           csrf=False)
    assert response.status_code == 400 and text("error.form_expired") in visible(response)
    assert "newpw42" not in text_of(response)
    assert login(portal).status_code == 303  # the password did not change
