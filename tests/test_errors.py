"""Error pages (rpp/errors.py): the page, or for htmx the partial the page includes, with the catalogue's words."""
from rpp.messages import text
from tests.helpers import visible


def test_a_missing_page_is_a_full_page_and_for_htmx_the_partial(portal):
    page = portal.get("/no-such-page")
    assert page.status_code == 404 and "<html" in page.get_data(as_text=True)
    assert text("error.not_found.title") in visible(page) and text("error.not_found.message") in visible(page)
    fragment = portal.get("/no-such-page", htmx=True)
    assert fragment.status_code == 404 and "<html" not in fragment.get_data(as_text=True)
    assert text("error.not_found.message") in visible(fragment) and "HX-Request" in fragment.headers["Vary"]


def test_a_wrong_method_shows_the_not_found_page(portal):
    response = portal.get("/logout")
    assert response.status_code == 405 and text("error.not_found.message") in visible(response)


def test_a_form_without_its_token_explains_what_to_do(portal):
    response = portal.post("/login", {"user_name": "jessicacamp", "password": "abc123"}, csrf=False)
    assert response.status_code == 400 and text("error.csrf.message") in visible(response)
