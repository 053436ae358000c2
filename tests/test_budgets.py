"""SPEC §9 budgets, measured: every full page's HTML + CSS ≤ 15 KB gzipped, a field validation
fragment ≤ 1 KB, and htmx served from one versioned URL with a year-long cache lifetime."""
import gzip
import re

import pytest

from rpp import HTMX_VERSION
from rpp.registration import activation, roster
from rpp.staff import service as staff
from tests.helpers import Portal, login, make_account, registration_form

PAGE_BUDGET = 15 * 1024     # HTML + CSS, each gzipped as a server would send them
FRAGMENT_BUDGET = 1024      # a field's validation answer, uncompressed
YEAR = 365 * 24 * 3600
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPTS = re.compile(r'<script src="([^"]+)"')


def gzipped(data):
    return len(gzip.compress(data, compresslevel=6))


def fetch(client, url):
    """A static file and its headers (the response is closed, so its file is too)."""
    with client.get(url) as response:
        return response.status_code, response.get_data(), response.cache_control, response.vary, response.headers


def page_weight(portal, response):
    """Bytes on the wire for the page and its stylesheet, both gzipped."""
    assert response.status_code == 200, response.status_code
    body = response.get_data()
    css_url = STYLESHEET.search(body.decode()).group(1)
    return gzipped(body) + gzipped(fetch(portal.client, css_url)[1])


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
    five = ("IL", "MT", "NM", "OK", "TX")
    yield "registration, errors in five states", portal.post("/register", registration_form(
        states=five, password="abc", **{f"{state}-zip_code": "1" for state in five}))
    portal.post("/register", registration_form(states=five))
    yield "confirmation, five states", portal.get("/register/confirm")
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
        staff.create_staff_user("alice", "correct horse battery")
    producer(app, "waiting", {"MT": "200000001"}, activate=False)
    portal.post("/staff/login", {"user_name": "alice", "password": "correct horse battery"})
    yield "staff queue", portal.get("/staff/")
    yield "staff search", portal.get("/staff/producers?q=camp")
    yield "staff roster", portal.get("/staff/roster")


def test_every_full_page_is_within_15_kb(app):
    with app.app_context():
        roster.import_roster(EXTRA_ROSTER)
    weights = {}
    for pages in (public_pages, signed_in_pages, staff_pages):
        portal = Portal(app.test_client())
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
def test_a_field_validation_fragment_is_within_1_kb(portal, field, value):
    response = portal.post("/register/validate", {"password": "abc123", field: value}, htmx=True, trigger=field)
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip(), "the fragment carries the error"
    assert len(response.get_data()) <= FRAGMENT_BUDGET


def test_profile_field_validation_fragment_is_within_1_kb(app, portal):
    make_account(app)
    login(portal)
    response = portal.post("/account/profile/validate", {"zip_code": "1"}, htmx=True, trigger="zip_code")
    assert response.status_code == 200 and "Zip Code" in response.get_data(as_text=True)
    assert len(response.get_data()) <= FRAGMENT_BUDGET


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
