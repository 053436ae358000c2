"""SPEC §8 as attacks and faults: CSRF on every POST, headers, injection fuzzing, enumeration timing, database faults."""
import re
import statistics
import time

import pytest
from peewee import OperationalError, PostgresqlDatabase
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from rpp import create_app
from rpp.extensions import db
from rpp.models import Account, RegistrationDraft, StateRegistration
from rpp.settings import DEFAULTS
from tests.helpers import Portal, login, make_account, registration_form, settings


def rules(app, method):
    """Every URL rule of the app that answers `method`, with sample values for its arguments."""
    for rule in app.url_map.iter_rules():
        if method in rule.methods and rule.endpoint != "static":
            yield rule, rule.build({name: 1 for name in rule.arguments})[1]


def get_paths(app):
    return [path for rule, path in rules(app, "GET") if not rule.arguments]


# 1. CSRF ---------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(app, portal, htmx):
    posts = list(rules(app, "POST"))
    assert len(posts) >= 5
    make_account(app)
    login(portal)  # signed in, so a route guarded by login still meets the CSRF check first
    for rule, path in posts:
        for data in ({}, {"csrf_token": "forged"}):
            response = portal.post(path, data, csrf=False, htmx=htmx)
            assert response.status_code == 400, f"{rule.rule} accepted {data}"
            assert "Please try again" in response.get_data(as_text=True)


def test_logout_by_get_does_nothing(app, portal):
    make_account(app)
    login(portal)
    assert portal.get("/logout").status_code == 405
    assert portal.get("/home").status_code == 200


# 2. Headers and cookies --------------------------------------------------------------------

def assert_security_headers(response, path):
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, path
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert response.headers["Strict-Transport-Security"].startswith("max-age="), path


def test_security_headers_on_every_page_signed_out_and_in(app, portal):
    make_account(app)
    for signed_in in (False, True):
        if signed_in:
            login(portal)
        for path in get_paths(app):
            response = portal.get(path)
            assert response.status_code < 500, path
            assert_security_headers(response, path)
            body = response.get_data(as_text=True)
            if response.mimetype == "text/html":
                assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), f"inline script on {path}"
                assert " style=" not in body and "<style" not in body, f"inline style on {path}"
                assert " on" + "click=" not in body
            if signed_in and response.status_code == 200:
                assert response.headers["Cache-Control"] == "no-store", path
    assert_security_headers(portal.get("/no-such-page"), "404")


def test_session_cookie_flags_outside_debug(tmp_path):
    config = {k: v for k, v in settings(tmp_path).items() if k != "SESSION_COOKIE_SECURE"}
    app = create_app(config)
    response = app.test_client().get("/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_htmx_is_served_with_a_long_cache_lifetime(client):
    response = client.get("/static/vendor/htmx-2.0.11/htmx.min.js")
    assert response.status_code == 200
    assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1)) >= 31536000
    response.close()


# 6. Fuzzing every field of every form -------------------------------------------------------

FORM = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*\baction="([^"]+)"[^>]*>(.*?)</form>', re.S | re.I)
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)
PAYLOADS = ["<script>alert(1)</script>", "{{7*'7'}}", "{% print 1 %}", "' OR '1'='1' --", "\x00",
            "a\x00b", "\u202e\u0000\ufffd", "x" * 5000, "\r\n\tcontrol", "é漢字🙂", "../../etc/passwd",
            "\"><img src=x onerror=alert(1)>", " ", ""]


def discover_forms(portal, paths):
    """(action, field names) of every POST form on the given pages, as a browser sees them."""
    found = {}
    for path in paths:
        body = portal.get(path).get_data(as_text=True)
        for action, inner in FORM.findall(body):
            names = sorted(set(FIELD.findall(inner)) - {"csrf_token"})
            found.setdefault(action, set()).update(names)
    return found


def assert_stored_data_is_whole():
    """No partial rows: every account has its registrations and every registration its account."""
    for account in Account.select():
        assert StateRegistration.select().where(StateRegistration.account == account).exists()
    for row in StateRegistration.select():
        assert row.address_1 and row.city and re.fullmatch(r"[0-9]{9}", row.agent_id)
        assert re.fullmatch(r"[0-9]{10}", row.phone)


def fuzz(portal, forms, value, htmx, inline_field=None):
    """Post every form once with every field set to `value`; validate one field inline too."""
    for action, names in forms.items():
        response = portal.post(action, {name: value for name in names}, htmx=htmx)
        assert response.status_code < 500, (action, value)
        assert_escaped(response.get_data(as_text=True))
    if inline_field:
        response = portal.post("/register/validate", {inline_field: value}, htmx=True, trigger=inline_field)
        assert response.status_code == 200, (inline_field, value)
        assert_escaped(response.get_data(as_text=True))
    assert_stored_data_is_whole()


def assert_escaped(body):
    assert "<script>alert(1)</script>" not in body and "<img src=x onerror" not in body
    assert "7777777" not in body


@pytest.fixture
def anonymous_forms(app, portal):
    forms = discover_forms(portal, get_paths(app))
    assert "/login" in forms and "/register" in forms
    return forms


VALUES = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=300))


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=VALUES, htmx=st.booleans(), data=st.data())
def test_fuzz_every_anonymous_form(app, portal, anonymous_forms, value, htmx, data):
    inline_field = data.draw(st.sampled_from(sorted(anonymous_forms["/register"])))
    fuzz(portal, anonymous_forms, value, htmx, inline_field)


@pytest.fixture
def signed_in_forms(app):
    make_account(app, states=("TX", "IL"))
    portal = Portal(app.test_client())
    login(portal)
    portal.post("/select-state", {"state": "TX"})
    forms = discover_forms(portal, get_paths(app))
    forms.pop("/logout", None)
    return portal, forms


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=VALUES, htmx=st.booleans())
def test_fuzz_every_signed_in_form(app, signed_in_forms, value, htmx):
    portal, forms = signed_in_forms
    fuzz(portal, forms, value, htmx)
    assert portal.get("/home").status_code == 200  # still signed in


def test_registration_payloads_are_stored_and_shown_escaped(portal):
    data = registration_form(**{"TX-company_name": "<script>alert(1)</script> {{7*'7'}}",
                                "TX-address_2": "\"><b>bold</b>"})
    assert portal.post("/register", data).status_code == 303
    page = portal.get("/register/confirm").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{7*&#39;7&#39;}}" in page
    assert "<b>bold</b>" not in page and "7777777" not in page
    portal.post("/register/submit")
    assert StateRegistration.get().company_name == "<script>alert(1)</script> {{7*'7'}}"


# 4. Enumeration by timing -------------------------------------------------------------------

# The production cost: the hashes must outweigh everything else a sign-in does, as they do there.
@pytest.mark.settings(PASSWORD_HASH_METHOD=DEFAULTS["PASSWORD_HASH_METHOD"], SIGN_IN_LIMIT_PER_ADDRESS="100 per minute")
def test_login_timing_is_the_same_for_unknown_and_known_user_names(app):
    make_account(app)

    def timed_login(portal, user_name):
        start = time.perf_counter()
        portal.post("/login", {"user_name": user_name, "password": "wrong1"})
        return time.perf_counter() - start

    unknown_portal, known_portal = Portal(app.test_client()), Portal(app.test_client())
    unknown_times, known_times = [], []
    for _ in range(15):  # interleaved, so a busy machine slows both alike
        unknown_times.append(timed_login(unknown_portal, "nobody"))
        known_times.append(timed_login(known_portal, "jessicacamp"))  # 3 counted, then locked
    unknown, known = statistics.median(unknown_times), statistics.median(known_times)
    assert 0.75 < unknown / known < 1.33, (unknown, known)


# 8. Faults ------------------------------------------------------------------------------------

def close_every_connection():
    db.close()
    if hasattr(db.obj, "close_all"):  # a pooled database keeps idle connections
        db.obj.close_all()


def test_read_only_database_gives_a_clear_page_and_stores_nothing(app, portal, monkeypatch):
    assert portal.post("/register", registration_form()).status_code == 303
    close_every_connection()  # the read-only setting applies to new connections
    if isinstance(db.obj, PostgresqlDatabase):
        options = db.obj.connect_params.get("options", "") + " -c default_transaction_read_only=on"
        monkeypatch.setitem(db.obj.connect_params, "options", options.strip())
    else:
        monkeypatch.setattr(db.obj, "_pragmas", list(db.obj._pragmas) + [("query_only", 1)])
    response = portal.post("/register/submit")
    assert response.status_code == 503
    assert "Nothing was changed" in response.get_data(as_text=True)
    monkeypatch.undo()
    close_every_connection()
    assert Account.select().count() == 0 and RegistrationDraft.select().count() == 1


def test_full_disk_in_the_middle_of_a_registration_leaves_nothing_half_written(app, portal, monkeypatch):
    assert portal.post("/register", registration_form(states=("TX", "IL"))).status_code == 303
    real_create = StateRegistration.create

    def full_after_first(**values):
        if StateRegistration.select().count():
            raise OperationalError("database or disk is full")
        return real_create(**values)

    monkeypatch.setattr(StateRegistration, "create", full_after_first)
    response = portal.post("/register/submit")
    assert response.status_code == 503
    assert "Nothing was changed" in response.get_data(as_text=True)
    assert Account.select().count() == 0 and StateRegistration.select().count() == 0
    monkeypatch.undo()
    assert portal.post("/register/submit").status_code == 303  # the draft survived: submit again works
    assert StateRegistration.select().count() == 2
