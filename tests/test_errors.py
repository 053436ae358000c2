"""Error pages (rpp/errors.py): the page, or for htmx the partial the page includes, with the catalogue's words."""
import pytest

from rpp.messages import text
from tests.helpers import login, make_account, visible


def test_a_missing_page_is_a_full_page_and_for_htmx_the_partial(portal):
    page = portal.get("/no-such-page")
    assert page.status_code == 404 and "<html" in page.get_data(as_text=True)
    assert text("error.not_found.title") in visible(page) and text("error.not_found.message") in visible(page)
    fragment = portal.get("/no-such-page", htmx=True)
    assert fragment.status_code == 404 and "<html" not in fragment.get_data(as_text=True)
    assert text("error.not_found.message") in visible(fragment) and "HX-Request" in fragment.headers["Vary"]


def test_a_form_without_its_token_explains_what_to_do(portal):
    response = portal.post("/login", {"user_name": "jessicacamp", "password": "bcbs4tx9"}, csrf=False)
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
