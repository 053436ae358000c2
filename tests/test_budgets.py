"""SPEC §9 budgets, measured on the wire: every full page's HTML + CSS as the portal sends them to
a browser that accepts gzip ≤ 15 KB, a field validation fragment ≤ 1 KB, and htmx served from one
versioned URL with a year-long cache lifetime; compression (gzip, Brotli) by the portal itself."""
import gzip
import re

import brotli
import pytest

from rpp import HTMX_VERSION
from rpp.registration import activation, roster
from rpp.states import BCBS_STATES
from tests.helpers import Portal, add_staff_user, login, make_account, registration_form, staff_login, visible

PAGE_BUDGET = 15 * 1024     # HTML + CSS, as sent (gzip) to a browser that accepts it
FRAGMENT_BUDGET = 1024      # a field's validation answer, as sent
YEAR = 365 * 24 * 3600
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPTS = re.compile(r'<script src="([^"]+)"')
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


class Browser(Portal):
    """A browser that sends `Accept-Encoding`: it notes what each answer weighed on the wire
    (`response.wire_bytes`, `response.wire_encoding`), then decodes it as a browser does."""

    def __init__(self, client, accept_encoding="gzip"):
        client.environ_base["HTTP_ACCEPT_ENCODING"] = accept_encoding
        super().__init__(client)

    def _remember_token(self, response):
        body = response.get_data()
        response.wire_bytes, response.wire_encoding = len(body), response.headers.pop("Content-Encoding", None)
        if response.wire_encoding:
            response.set_data(DECODE[response.wire_encoding](body))
        return super()._remember_token(response)


def fetch(client, url, headers=None):
    """A static file as sent, and its headers (the response is closed, so its file is too)."""
    with client.get(url, headers=headers) as response:
        return response.status_code, response.get_data(), response.cache_control, response.vary, response.headers


def page_weight(portal, response):
    """Bytes on the wire for the page and its stylesheet, both compressed by the portal."""
    assert response.status_code == 200, response.status_code
    assert response.wire_encoding == "gzip"
    css_url = STYLESHEET.search(response.get_data(as_text=True)).group(1)
    status, css, _, _, headers = fetch(portal.client, css_url)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    return response.wire_bytes + len(css)


EXTRA_ROSTER = "state,agent_id\nTX,900000001\nTX,900000002\nIL,100000001\nMT,200000001\n"


def producer(app, user_name, agent_ids, activate=True):
    """An account registered through the form for these states, e.g. {"TX": "900000001"}."""
    portal = Portal(app.test_client())
    portal.post("/register", registration_form(user_name=user_name, states=tuple(agent_ids),
                                               **{f"{s}-agent_id": a for s, a in agent_ids.items()}))
    assert portal.post("/register/submit").status_code == 303
    if activate:
        with app.app_context():
            activation.activate(user_name)


def public_pages(app, portal):
    yield "sign-in", portal.get("/")
    producer(app, "lockedout", {"TX": "900000001"})
    for attempt in range(3):
        locked = login(portal, "lockedout", f"wrong{attempt}")
    yield "sign-in, locked", locked
    yield "registration", portal.get("/register")
    every = tuple(BCBS_STATES)
    yield "registration, errors in every state", portal.post("/register", registration_form(
        states=every, password="abc", **{f"{state}-zip_code": "1" for state in every}))
    portal.post("/register", registration_form(states=every))
    yield "confirmation, every state", portal.get("/register/confirm")
    portal.post("/register/submit")
    yield "submitted", portal.get("/register/submitted")
    yield "contact us", portal.get("/contact-us")
    yield "forgot user name, errors", portal.post("/forgot-user-name", {})
    yield "reset password, errors", portal.post("/reset-password", {})
    yield "user name sent", portal.get("/forgot-user-name/sent")
    yield "password sent", portal.get("/reset-password/sent")


def signed_in_pages(app, portal):
    producer(app, "producer", {"TX": "900000002", "IL": "100000001"})
    login(portal, "producer")
    yield "select a state", portal.get("/select-state")
    portal.post("/select-state", {"state": "TX"})
    yield "home", portal.get("/home")
    yield "edit profile", portal.get("/account/profile")
    yield "edit profile, errors", portal.post("/account/profile", {"zip_code": "1", "phone": "1"})
    yield "change password, errors", portal.post("/account/change-password", {})
    yield "register for another state", portal.get("/account/register-another-state")


def staff_pages(app, portal):
    with app.app_context():
        add_staff_user("alice")
    producer(app, "waiting", {"MT": "200000001"}, activate=False)
    staff_login(portal)
    yield "staff queue", portal.get("/staff/")
    yield "staff search", portal.get("/staff/producers?q=camp")
    yield "staff roster", portal.get("/staff/roster")


@pytest.mark.parametrize("language", ["en-US", "es-MX"])  # Spanish sentences run longer
def test_every_full_page_is_within_15_kb(app, language):
    with app.app_context():
        roster.import_roster(EXTRA_ROSTER)
    weights = {}
    for pages in (public_pages, signed_in_pages, staff_pages):
        portal = Browser(app.test_client())
        portal.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        for name, response in pages(app, portal):
            weights[name] = page_weight(portal, response)
    over = {name: weight for name, weight in weights.items() if weight > PAGE_BUDGET}
    assert not over, f"over {PAGE_BUDGET} bytes: {over}"
    assert len(weights) >= 20


@pytest.mark.parametrize("field, value", [
    ("user_name", "x"), ("password", "!"), ("confirm_password", "other"), ("first_name", "J0"),
    ("TX-agent_id", "123"), ("TX-zip_code", "1"), ("TX-email", "not an address"), ("TX-phone", "1"),
    ("TX-company_name", "x" * 101),
])
def test_a_field_validation_fragment_is_within_1_kb(client, field, value):
    browser = Browser(client, "gzip, deflate, br")
    response = browser.post("/register/validate", {"password": "bcbs4tx9", field: value}, htmx=True, trigger=field)
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip(), "the fragment carries the error"
    assert response.wire_bytes <= FRAGMENT_BUDGET


def test_profile_field_validation_fragment_is_within_1_kb(app, client):
    make_account(app)
    browser = Browser(client, "gzip, deflate, br")
    login(browser)
    response = browser.post("/account/profile/validate", {"zip_code": "1"}, htmx=True, trigger="zip_code")
    assert response.status_code == 200 and "Zip Code" in response.get_data(as_text=True)
    assert response.wire_bytes <= FRAGMENT_BUDGET


# Compression by the portal itself (Flask-Compress), whether or not a proxy compresses.

@pytest.mark.parametrize("accept_encoding, chosen", [("gzip", "gzip"), ("br", "br"),
                                                     ("gzip, deflate, br, zstd", "br")])
def test_pages_css_and_javascript_are_sent_compressed(client, accept_encoding, chosen):
    plain = Portal(client).get("/register")
    page = Browser(client, accept_encoding).get("/register")
    assert page.wire_encoding == chosen and visible(page) == visible(plain)
    assert page.wire_bytes * 5 < len(plain.get_data())
    assets = [STYLESHEET.search(plain.get_data(as_text=True)).group(1), *SCRIPTS.findall(plain.get_data(as_text=True))]
    assert len(assets) >= 2
    for url in assets:
        _, original, _, _, _ = fetch(client, url, {"Accept-Encoding": ""})
        status, sent, _, vary, headers = fetch(client, url, {"Accept-Encoding": accept_encoding})
        assert status == 200 and headers["Content-Encoding"] == chosen, url
        assert DECODE[chosen](sent) == original and len(sent) < len(original), url
        assert "Accept-Encoding" in vary


def test_without_accept_encoding_nothing_is_compressed(client):
    response = client.get("/register", headers={"Accept-Encoding": ""})
    assert "Content-Encoding" not in response.headers and "Registration" in response.get_data(as_text=True)
    assert "Accept-Encoding" in response.vary


def test_a_small_fragment_goes_uncompressed(client):
    browser = Browser(client, "gzip, br")
    response = browser.post("/register/validate", {"user_name": "x"}, htmx=True, trigger="user_name")
    assert response.status_code == 200 and "User Name" in response.get_data(as_text=True)
    assert response.wire_bytes < 500 and response.wire_encoding is None
    assert "Accept-Encoding" in response.vary


def test_page_and_fragment_of_one_url_vary_on_accept_encoding_and_hx_request(client):
    browser = Browser(client, "gzip, br")
    page, fragment = browser.get("/register"), browser.get("/register", htmx=True)
    assert "<html" in page.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
    for response in (page, fragment):
        assert response.wire_encoding == "br"
        assert {"Accept-Encoding", "HX-Request"} <= set(response.vary)


@pytest.mark.parametrize("accept_encoding", ["gzip", "br", ""])
def test_static_files_keep_their_year_long_cache_and_answer_conditional_requests(client, accept_encoding):
    body = Portal(client).get("/").get_data(as_text=True)
    for url in [STYLESHEET.search(body).group(1), f"/static/vendor/htmx-{HTMX_VERSION}/htmx.min.js"]:
        headers = {"Accept-Encoding": accept_encoding}
        status, _, cache_control, _, first = fetch(client, url, headers)
        assert status == 200 and cache_control.max_age >= YEAR and cache_control.public, url
        assert first.get("Content-Encoding") == (accept_encoding or None)
        assert "Set-Cookie" not in first
        status, again, _, _, _ = fetch(client, url, {**headers, "If-None-Match": first["ETag"]})
        assert status == 304 and again == b"", url
        last_modified = {**headers, "If-Modified-Since": first["Last-Modified"]}
        assert fetch(client, url, last_modified)[0] == 304, url


def test_htmx_has_one_versioned_url_cached_for_a_year(app, portal):
    make_account(app)
    urls = set()
    for path in ("/", "/register", "/contact-us", "/forgot-user-name"):
        urls.update(url for url in SCRIPTS.findall(portal.get(path).get_data(as_text=True)) if "htmx" in url)
    login(portal)
    urls.update(url for url in SCRIPTS.findall(portal.get("/home").get_data(as_text=True)) if "htmx" in url)
    assert urls == {f"/static/vendor/htmx-{HTMX_VERSION}/htmx.min.js"}  # the same URL signed in or not

    status, _, cache_control, vary, headers = fetch(portal.client, urls.pop())
    assert status == 200
    assert cache_control.max_age >= YEAR and cache_control.public
    assert "Cookie" not in vary  # a new session cookie does not make the browser fetch it again
    assert "Set-Cookie" not in headers


def test_css_and_portal_js_urls_change_with_their_content(portal):
    body = portal.get("/").get_data(as_text=True)
    for url in [STYLESHEET.search(body).group(1)] + [u for u in SCRIPTS.findall(body) if "htmx" not in u]:
        assert re.search(r"\?v=[0-9a-f]{10}$", url), url
        status, _, cache_control, _, _ = fetch(portal.client, url)
        assert status == 200 and cache_control.max_age >= YEAR
