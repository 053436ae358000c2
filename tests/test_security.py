"""SPEC §8 as attacks and faults: CSRF on every POST, headers, injection fuzzing, enumeration timing,
database faults, odd URLs and headers."""
import html
import http.client
import io
import re
import select
import socket
import statistics
import time
from urllib.parse import quote, unquote, urlencode

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from peewee import OperationalError, PostgresqlDatabase
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from rpp import create_app
from rpp.extensions import db
from rpp.messages import text
from rpp.models import Account, RegistrationDraft, StateRegistration
from rpp.settings import DEFAULTS
from tests.helpers import (
    STAFF_PASSWORD,
    TOKEN,
    Portal,
    login,
    make_account,
    registration_form,
    send,
    settings,
    staff_code,
    staff_login,
    visible,
)


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
            if rule.endpoint == "registration.register_again_continue":  # only after a refused sign-in
                where = response.headers.get("HX-Redirect") or response.headers.get("Location")
                assert where == "/", f"{rule.rule} accepted {data}"
                continue
            assert response.status_code == 400, f"{rule.rule} accepted {data}"
            page = visible(response)  # the error page, or the form again saying it had expired
            assert text("error.csrf.message") in page or text("error.form_expired") in page, rule.rule


def test_logout_by_get_goes_to_the_home_page_still_signed_in(app, portal):
    make_account(app)
    login(portal)
    assert portal.get("/logout").headers["Location"] == "/"
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
            assert response.headers["Cache-Control"] == "no-store", path
    assert_security_headers(portal.get("/no-such-page"), "404")


def test_pages_with_a_producers_details_are_never_cached_signed_in_or_not(portal):
    answers = [portal.post("/register", registration_form(first_name="")),
               portal.post("/register/validate", registration_form(), htmx=True, trigger="TX-email"),
               portal.post("/register", registration_form()), portal.get("/register/confirm"),
               portal.get("/register/confirm", htmx=True), portal.post("/register/submit"),
               portal.get("/register/submitted"),
               portal.post("/reset-password", {"user_name": "jessicacamp", "email": "testproducer@gmail"}),
               portal.post("/forgot-user-name", {"agent_id": "999999999", "email": "testproducer@gmail.com"}),
               portal.get("/forgot-user-name/sent"), portal.get("/reset-password/sent")]
    assert "testproducer@gmail.com" in answers[3].get_data(as_text=True)  # the details really are there
    for response in answers:
        assert response.headers["Cache-Control"] == "no-store", response.request.path


def test_session_cookie_flags_outside_debug(tmp_path, database):
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


@pytest.mark.slow
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


@pytest.mark.slow
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
@pytest.mark.slow
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
        db.obj.pragma("query_only", 1, permanent=True)  # this connection and every new one
    response = portal.post("/register/submit")
    assert response.status_code == 503
    assert "Nothing was changed" in response.get_data(as_text=True)
    monkeypatch.undo()
    if not isinstance(db.obj, PostgresqlDatabase):
        db.obj.pragma("query_only", 0, permanent=True)
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


# 10. Request size limits ------------------------------------------------------------------------

TOO_LARGE = text("error.too_large.message")


class UnreadableBody(io.RawIOBase):
    """A request body of `length` bytes that fails the test if anything reads it."""

    def __init__(self, length):
        super().__init__()
        self.length, self.position = length, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = self.length + offset if whence == io.SEEK_END else offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def post_body(client, path, length, content_type="application/x-www-form-urlencoded", htmx=False):
    """A POST announcing `length` bytes whose body must never be read."""
    return client.post(path, input_stream=UnreadableBody(length), content_type=content_type,
                       headers={"HX-Request": "true"} if htmx else {})


@pytest.mark.parametrize("htmx", [False, True])
def test_a_body_over_the_limit_is_refused_with_a_clear_page_before_it_is_read(app, client, htmx):
    for path in ("/login", "/register", "/register/validate", "/staff/login", "/account/profile"):
        response = post_body(client, path, app.config["MAX_CONTENT_LENGTH"] + 1, htmx=htmx)
        assert response.status_code == 413, path
        assert TOO_LARGE in visible(response)
        assert ("<html" in response.get_data(as_text=True)) is not htmx  # a page, or for htmx in place


def post_multipart(portal, path, fields):
    """A multipart POST with the page's CSRF token, built in memory (the test client would spool a
    large one to a temporary file it never closes)."""
    if portal.token is None:
        portal.get("/contact-us")
    boundary, body = encode_multipart({"csrf_token": portal.token, **fields})
    return portal.client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_form_field_or_a_form_over_its_limits_is_refused(app, portal):
    field = post_multipart(portal, "/login", {"user_name": "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)})
    assert field.status_code == 413 and TOO_LARGE in visible(field)
    many = post_multipart(portal, "/login", {f"field{n}": "x" for n in range(app.config["MAX_FORM_PARTS"] + 1)})
    assert many.status_code == 413 and TOO_LARGE in visible(many)
    assert portal.post("/login", {"user_name": "x" * 5000, "password": "a"}).status_code == 200


def test_the_roster_upload_has_its_own_larger_limit_checked_before_the_body_is_read(app, console):
    app.config["ROSTER_UPLOAD_MAX_BYTES"] = 3_000_000
    not_text = b"\xff" * 2_000_000  # over MAX_CONTENT_LENGTH, under the roster's limit
    roster = FileStorage(io.BytesIO(not_text), filename="roster.csv", content_type="text/csv")
    accepted = post_multipart(console, "/staff/roster", {"roster_file": roster})
    assert accepted.status_code == 200 and "The file is not UTF-8 text" in visible(accepted)
    refused = post_body(console.client, "/staff/roster", 4_000_000, "multipart/form-data; boundary=x")
    assert refused.status_code == 413 and TOO_LARGE in visible(refused)
    assert post_body(console.client, "/staff/login", 2_000_000).status_code == 413  # only the upload


# 9. Odd URLs, `next` and htmx headers: never a 500, never a header a server refuses --------------

HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
HEADER_VALUE = re.compile(r"[ \t\x21-\x7e]*")  # printable ASCII: what every server and proxy passes on


def assert_valid_headers(response, context=None):
    for name, value in response.headers.items():
        assert HEADER_NAME.fullmatch(name) and HEADER_VALUE.fullmatch(value), (name, value, context)


@pytest.mark.parametrize("next_url, sent", [("/%E4%B8%AD", "/%E4%B8%AD"), ("/%E2%80%A8", "/%E2%80%A8"),
                                            ("/%7F", None), ("/account/profile?x=%C3%A9", "/account/profile?x=%C3%A9")])
@pytest.mark.parametrize("htmx", [False, True])
def test_login_with_a_unicode_next_follows_it_percent_encoded_or_refuses_it(app, portal, next_url, sent, htmx):
    make_account(app)
    page = portal.get(f"/?next={next_url}")
    form_next = re.search(r'name="next" value="([^"]*)"', page.get_data(as_text=True))
    data = {"user_name": "jessicacamp", "password": "bcbs4tx9"}
    if form_next:
        data["next"] = html.unescape(form_next.group(1))
    response = portal.post("/login", data, htmx=htmx)
    assert_valid_headers(response)
    target = response.headers["HX-Redirect" if htmx else "Location"]
    assert target == (sent or "/home")
    assert session_cookie(response.headers.getlist("Set-Cookie"))
    assert portal.get("/home").status_code == 200  # signed in


BAD_IDS = [str(2**63), str(2**64), "9" * 40, "9" * 5000, "-1", "abc", "1.5", "%D9%A1", "0x10", "%00", "1%0A"]


def test_a_huge_or_non_numeric_id_in_a_staff_url_is_not_found(console):
    for path in ("/staff/producers/{}", "/staff/producers/{}/unlock", "/staff/registrations/{}/activate",
                 "/staff/registrations/{}/reject"):
        for bad_id in BAD_IDS:
            url = path.format(bad_id)
            response = console.get(url) if path.endswith("{}") else console.post(url, {"reason": "x"})
            assert response.status_code == 404, url
            assert "We could not find that page." in visible(response)
    assert console.get(f"/staff/producers/{2**63 - 1}").status_code == 404  # the largest id: no such producer


# Fuzzing URL parameters, `next` and htmx headers, signed out, as a producer and as staff.

SEGMENTS = st.one_of(st.sampled_from([*BAD_IDS, "0", "1", "..", "%2F", "%E4%B8%AD", "%E2%80%A8", "%7F", "%0D%0A"]),
                     st.text(min_size=1, max_size=40).map(lambda text: quote(text, safe="")))
HEADER_TEXT = st.one_of(st.sampled_from(["", "true", "false", "中", "\u2028", "\x7f", "\x00", "\t", "x" * 2000]),
                        st.text(max_size=80).filter(lambda text: "\r" not in text and "\n" not in text))
NEXT_VALUES = st.one_of(st.sampled_from(["/%E4%B8%AD", "/中", "/\u2028", "/\x7f", "//evil.example", "/\\evil",
                                         "/\t/evil.example", "https://evil.example/", "/%0D%0ASet-Cookie:x=1"]),
                        st.text(max_size=60), st.text(max_size=60).map(lambda text: "/" + text))
SIGNS_OUT = {"auth.logout", "staff.logout"}


def every_rule(app):
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def fill(rule, segment):
    """The rule's path with every argument set to `segment` (already percent-encoded)."""
    return re.sub(r"<[^>]+>", segment, rule.rule)


def htmx_headers(data):
    """HX-Request and friends as htmx sends them, or junk."""
    names = ["HX-Trigger-Name", "HX-Trigger", "HX-Current-URL", "HX-Target", "HX-Prompt"]
    headers = {name: data.draw(HEADER_TEXT) for name in names}
    for name in ("HX-Request", "HX-Boosted", "HX-History-Restore-Request"):
        headers[name] = data.draw(st.sampled_from(["true", "false", "1"]) | HEADER_TEXT)
    return headers


@pytest.fixture
def visitors(app, staff_user):
    """Browsers signed out, signed in as a producer (Texas selected) and signed in to the console."""
    make_account(app, states=("TX", "IL"))
    producer, staff = Portal(app.test_client()), Portal(app.test_client())
    assert login(producer).status_code == 303
    producer.post("/select-state", {"state": "TX"})
    assert staff_login(staff).status_code == 303
    return {"signed out": Portal(app.test_client()), "producer": producer, "staff": staff}


def request_with(portal, method, path, data, headers):
    """One request of any method; a POST carries the page's CSRF token like a form."""
    if method == "POST":
        return portal.post(path, data, headers=headers)
    return portal.client.open(path, method=method, headers=headers)


@pytest.mark.slow
@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_url_parameters_of_every_rule(app, visitors, data):
    rule = data.draw(st.sampled_from([rule for rule in every_rule(app) if rule.arguments]))
    method = data.draw(st.sampled_from(sorted(rule.methods - {"OPTIONS"})))
    who, segment = data.draw(st.sampled_from(sorted(visitors))), data.draw(SEGMENTS)
    path = fill(rule, segment)
    response = request_with(visitors[who], method, path, {"reason": unquote(segment)}, {})
    assert response.status_code < 500, (who, method, path)
    assert_valid_headers(response, (who, method, path))
    response.close()


@pytest.mark.slow
@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_next_and_htmx_headers_on_every_route(app, visitors, data):
    rule = data.draw(st.sampled_from([rule for rule in every_rule(app) if rule.endpoint not in SIGNS_OUT]))
    method = data.draw(st.sampled_from(sorted(rule.methods - {"OPTIONS"})))
    who, next_url = data.draw(st.sampled_from(sorted(visitors))), data.draw(NEXT_VALUES)
    arguments = {name: "css/portal.css" if rule.endpoint == "static" else 1 for name in rule.arguments}
    path = rule.build(arguments, append_unknown=False)[1] + "?" + urlencode({"next": next_url})
    response = request_with(visitors[who], method, path, {"next": next_url}, htmx_headers(data))
    assert response.status_code < 500, (who, method, path)
    assert_valid_headers(response, (who, method, path))
    response.close()


@pytest.fixture
def signed_up(app):
    """An active producer's user name."""
    return make_account(app)


@pytest.mark.slow
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(next_url=NEXT_VALUES, htmx=st.booleans(), number=st.integers(0, 2**16 - 1))
def test_fuzz_next_on_a_successful_login(app, signed_up, next_url, htmx, number):
    portal = Portal(app.test_client())
    portal.client.environ_base["REMOTE_ADDR"] = f"10.9.{number >> 8}.{number & 255}"  # under any per-address limit
    response = portal.post("/login", {"user_name": signed_up, "password": "bcbs4tx9", "next": next_url}, htmx=htmx)
    assert response.status_code in (204, 303), next_url
    assert_valid_headers(response, next_url)
    target = response.headers["HX-Redirect" if htmx else "Location"]
    assert target.startswith("/") and not target.startswith("//"), target
    assert session_cookie(response.headers.getlist("Set-Cookie"))


# Through a real server: gunicorn refuses a bad header the test client lets through. ------------

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def send_large_body(port, path, size, chunked=False):
    """POST `size` bytes of form to `path`, stopping when the server answers; (status, page)."""
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {size}\r\n\r\n"
    chunk = b"a" * 65536
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(head.encode())
        sent = 0
        while sent < size and not select.select([connection], [], [], 0)[0]:  # until the answer starts
            try:
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            except OSError:  # the server answered and closed: read its answer
                break
            sent += len(chunk)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, response.read().decode()


@pytest.mark.slow
@pytest.mark.parametrize("chunked", [False, True])
def test_a_200_mb_body_leaves_the_worker_memory_where_it_was(gunicorn, database, chunked):
    port = gunicorn(workers=1)
    worker, = gunicorn.workers()
    for _ in range(3):  # templates compiled and caches filled before measuring
        send_large_body(port, "/login", 2_000_000, chunked)
    before = rss_mb(worker)
    status, page = send_large_body(port, "/login", 200 * 2**20, chunked)
    after = rss_mb(worker)
    # The portal's page (the too-large page, or the sign-in form back from its missing token), never a 500.
    assert status in (400, 413) and ("Back to Login Page" in page or text("error.form_expired") in page)
    if not chunked:
        assert status == 413 and TOO_LARGE in page
    assert after - before < 10, (before, after)
    assert "Traceback" not in gunicorn.log()


def session_cookie(set_cookies):
    """`rpp_session=…` from an answer's Set-Cookie headers (a sign-in also sets the browser cookie)."""
    return next((value.split(";", 1)[0] for value in set_cookies if value.startswith("rpp_session=")), None)


def sign_in_through(port, page, path, form, code=None):
    """Sign in through the real server from the sign-in page (with `code()` at the Verification Code step
    when it asks); the session cookie and the signed-in page's CSRF token."""
    status, headers, body = send(port, "GET", page)
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = TOKEN.search(body)
    status, headers, _ = send(port, "POST", path, {**form, "csrf_token": token[1] or token[2]}, cookie)
    assert status == 303, status
    cookie = session_cookie(headers.get_all("Set-Cookie"))
    if code is not None:
        step = headers["Location"]
        _, headers, page = send(port, "GET", step, cookie=cookie)
        cookie = session_cookie(headers.get_all("Set-Cookie")) or cookie  # the step's CSRF token joins the session
        token = TOKEN.search(page)
        status, headers, _ = send(port, "POST", step, {"code": code(), "csrf_token": token[1] or token[2]}, cookie)
        assert status == 303, status
        cookie = session_cookie(headers.get_all("Set-Cookie"))
    _, _, page = send(port, "GET", headers["Location"], cookie=cookie)
    token = TOKEN.search(page)
    return cookie, token[1] or token[2]


@pytest.mark.slow
@pytest.mark.parametrize("next_url", ["/%E4%B8%AD", "/%E2%80%A8", "/%7F", "/account/profile?x=%E4%B8%AD"])
def test_htmx_login_with_a_unicode_next_through_gunicorn_signs_in(app, gunicorn, next_url):
    make_account(app)
    db.close()
    port = gunicorn()
    _, headers, body = send(port, "GET", f"/?next={next_url}")
    cookie, token = headers["Set-Cookie"].split(";", 1)[0], TOKEN.search(body)
    form_next = re.search(r'name="next" value="([^"]*)"', body)
    form = {"user_name": "jessicacamp", "password": "bcbs4tx9", "csrf_token": token[1] or token[2],
            "next": html.unescape(form_next[1]) if form_next else ""}
    status, headers, _ = send(port, "POST", "/login", form, cookie, {"HX-Request": "true"})
    assert status == 204 and headers["HX-Redirect"].startswith("/")
    signed_in = session_cookie(headers.get_all("Set-Cookie"))
    assert send(port, "GET", "/home", cookie=signed_in)[0] == 200
    assert "Traceback" not in gunicorn.log()


@pytest.fixture
def real_server(app, gunicorn, staff_user):
    """gunicorn with a producer and a staff user, and the cookie and CSRF token of each kind of visitor."""
    make_account(app, states=("TX", "IL"))
    db.close()
    port = gunicorn()
    _, headers, body = send(port, "GET", "/")
    token = TOKEN.search(body)
    visitors = {"signed out": (headers["Set-Cookie"].split(";", 1)[0], token[1] or token[2]),
                "producer": sign_in_through(port, "/", "/login", {"user_name": "jessicacamp", "password": "bcbs4tx9"}),
                "staff": sign_in_through(port, "/staff/login", "/staff/login",
                                         {"user_name": "alice", "password": STAFF_PASSWORD},
                                         code=lambda: staff_code(app))}
    return port, visitors


RAW_HEADER_TEXT = HEADER_TEXT | st.binary(max_size=60).filter(lambda raw: b"\r" not in raw and b"\n" not in raw)


@pytest.mark.slow
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_urls_next_and_htmx_headers_through_gunicorn(app, real_server, gunicorn, data):
    port, visitors = real_server
    rule = data.draw(st.sampled_from([rule for rule in every_rule(app) if rule.endpoint not in SIGNS_OUT]))
    method = data.draw(st.sampled_from(sorted(rule.methods - {"OPTIONS"})))
    cookie, token = visitors[data.draw(st.sampled_from(sorted(visitors)))]
    next_url = data.draw(NEXT_VALUES)
    path = fill(rule, data.draw(SEGMENTS)) + "?" + urlencode({"next": next_url})
    headers = htmx_headers(data)
    headers.update({name: data.draw(RAW_HEADER_TEXT) for name in ("HX-Trigger-Name", "HX-Current-URL")})
    headers = {name: value.encode() if isinstance(value, str) else value for name, value in headers.items()}
    form = {"csrf_token": token, "next": next_url, "reason": next_url} if method == "POST" else None
    status, response_headers, _ = send(port, method, path, form, cookie, headers)
    assert status < 500, (method, path)
    for name, value in response_headers.items():
        assert HEADER_NAME.fullmatch(name) and HEADER_VALUE.fullmatch(value), (name, value, path)
    assert "Traceback" not in gunicorn.log() and "Error handling request" not in gunicorn.log()


# Every console query parameter, fuzzed through gunicorn: a list or a message, never a 500 or a broken CSV.

ANY_VALUE = st.one_of(st.integers().map(str), st.text(max_size=120),
                      st.sampled_from(["", "\x00", "x" * 2000, "9" * 5000]))
DATE_VALUES = st.one_of(st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-30", "20240101", "2024-W10-1"]),
                        st.dates().map(lambda day: day.isoformat()), ANY_VALUE)
QUEUE_PARAMETERS = {
    "q": ANY_VALUE, "state": st.sampled_from(["TX", "IL", "ZZ", ""]) | ANY_VALUE,
    "status": st.sampled_from(["pending", "active", "rejected", "revoked"]) | ANY_VALUE,
    "overdue": st.sampled_from(["1", "y"]) | ANY_VALUE, "date_from": DATE_VALUES, "date_to": DATE_VALUES,
    "sort": st.sampled_from(["oldest", "newest", "sideways"]) | ANY_VALUE,
    "page": st.sampled_from(["0", "-1", "1e9", "9" * 4000]) | ANY_VALUE,
    "select": st.sampled_from(["all"]) | ANY_VALUE}
CONSOLE_PARAMETERS = {"/staff/": QUEUE_PARAMETERS, "/staff/registrations.csv": QUEUE_PARAMETERS,
                      "/staff/producers": {"q": ANY_VALUE}}


@pytest.mark.slow
@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_every_console_query_parameter_through_gunicorn(app, real_server, gunicorn, data):
    port, visitors = real_server
    path = data.draw(st.sampled_from(sorted(CONSOLE_PARAMETERS)))
    parameters = CONSOLE_PARAMETERS[path]
    names = data.draw(st.lists(st.sampled_from(sorted(parameters)), max_size=6))
    query = urlencode([(name, data.draw(parameters[name])) for name in names])
    headers = {"HX-Request": "true"} if data.draw(st.booleans()) else {}
    status, _, body = send(port, "GET", f"{path}?{query}", cookie=visitors["staff"][0], headers=headers)
    if len(f"GET {path}?{query} HTTP/1.1") > 4094:  # gunicorn's limit_request_line: refused before the portal
        assert status == 414
        return
    assert status == 200, (path, query)
    if path.endswith(".csv"):  # the whole file arrived (send reads to the end of the stream)
        assert body.startswith("User Name,First Name,") and body.endswith("\r\n"), query
    assert "Traceback" not in gunicorn.log() and "Error handling request" not in gunicorn.log()


# A roster file of bad lines, through gunicorn: a short page, quickly, without growing the worker.

def post_roster(port, cookie, token, content):
    """Upload `content` as the roster file; (status, page, seconds)."""
    boundary, body = encode_multipart({"csrf_token": token, "roster_file": FileStorage(io.BytesIO(content),
                                                                                       "roster.csv")})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.monotonic()
    connection.request("POST", "/staff/roster", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie})
    response = connection.getresponse()
    page = response.read()
    seconds = time.monotonic() - started
    connection.close()
    return response.status, page, seconds


@pytest.mark.slow
def test_a_10_mb_roster_of_bad_lines_is_previewed_quickly_in_a_short_page(app, gunicorn, staff_user):
    db.close()
    port = gunicorn(workers=1)
    cookie, _ = sign_in_through(port, "/staff/login", "/staff/login",
                                {"user_name": "alice", "password": STAFF_PASSWORD}, code=lambda: staff_code(app))
    _, headers, page = send(port, "GET", "/staff/roster", cookie=cookie)
    cookie = session_cookie(headers.get_all("Set-Cookie") or []) or cookie  # the page's CSRF token joins the session
    token = TOKEN.search(page)[1] or TOKEN.search(page)[2]
    worker, = gunicorn.workers()
    for _ in range(2):  # templates compiled and caches filled before measuring
        warm = post_roster(port, cookie, token, b"state,agent_id\n" + b"ZZ,1\n" * 20_000)
        assert warm[0] == 200, re.sub(r"<[^>]+>", " ", warm[1].decode())[-1500:]
    before = rss_mb(worker)
    content = b"state,agent_id\n" + b"ZZ,1\n" * ((10_000_000 - 15) // 5)
    status, page, seconds = post_roster(port, cookie, token, content)
    after = rss_mb(worker)
    assert status == 200
    assert len(page) <= 300_000 and seconds <= 5, (len(page), seconds)
    assert after - before <= 50, (before, after)
    shown = html.unescape(page.decode())
    assert text("roster.bad_lines", count=1_999_997) in shown
    assert "line 51: agent_id '1' is not exactly 9 digits" in shown and "line 52:" not in shown
    assert text("roster.more_problems", more=2 * 1_999_997 - 100) in shown
    assert "Traceback" not in gunicorn.log()
