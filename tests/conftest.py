"""Fixtures: a fresh portal per test on its own SQLite file, with mail kept in memory.

With RPP_TEST_DATABASE_URL=postgresql://… every test gets its own, empty PostgreSQL schema instead.
"""
import hashlib
import os
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from rpp import create_app
from rpp.extensions import db
from rpp.registration import roster

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')

DEMO_ROSTER = """state,agent_id,first_name,last_name
TX,999999999,Jessica,Camp
IL,111111111,Jessica,Camp
MT,222222222,Jessica,Camp
NM,333333333,Jessica,Camp
OK,444444444,Jessica,Camp
TX,999999998,Demo,Producer
IL,111111112,Demo,Producer
"""


def settings(tmp_path, **extra):
    """Test settings: a file database (threads share it), locmem mail and a cheap hash."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url(tmp_path),
        "MAIL_BACKEND": "locmem",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "SESSION_COOKIE_SECURE": False,
        "PORTAL_URL": "https://portal.example.test",
        "RATELIMIT_ENABLED": True,
        **extra,
    }


POSTGRES_URL = os.environ.get("RPP_TEST_DATABASE_URL")


def postgres_schema(tmp_path):
    """The PostgreSQL schema that belongs to one test (named after its tmp_path)."""
    return "t_" + hashlib.sha1(str(tmp_path).encode()).hexdigest()[:16]


def database_url(tmp_path):
    """The test's own database: a SQLite file, or a PostgreSQL schema first on the search_path."""
    if not POSTGRES_URL:
        return f"sqlite:///{tmp_path}/rpp.sqlite3"
    parts = urlsplit(POSTGRES_URL)
    query = parse_qsl(parts.query) + [("options", f"-csearch_path={postgres_schema(tmp_path)}")]
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture(autouse=True)
def test_database(tmp_path):
    """On PostgreSQL, an empty schema for this test, dropped afterwards (SQLite needs nothing)."""
    if not POSTGRES_URL:
        yield
        return
    import psycopg2
    schema = postgres_schema(tmp_path)
    admin = psycopg2.connect(POSTGRES_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    yield
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):  # the pool's idle connections
        db.obj.close_all()
    with admin.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    admin.close()


@pytest.fixture
def app(tmp_path):
    app = create_app(settings(tmp_path))
    with app.app_context():
        roster.import_roster(DEMO_ROSTER)
    yield app
    if not db.is_closed():
        db.close()


class Portal:
    """The Flask test client as a producer's browser: it sends the CSRF token like a form does."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def _remember_token(self, response):
        if response.mimetype == "text/html":
            match = TOKEN.search(response.get_data(as_text=True))
            if match:
                self.token = match.group(1) or match.group(2)
        return response

    def get(self, path, htmx=False, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self._remember_token(self.client.get(path, headers=headers, **kwargs))

    def post(self, path, data=None, htmx=False, trigger=None, csrf=True, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        if trigger:
            headers["HX-Trigger-Name"] = trigger
        data = dict(data or {})
        if csrf:
            if self.token is None:
                self.get("/contact-us")
            data.setdefault("csrf_token", self.token)
        response = self.client.post(path, data=data, headers=headers, **kwargs)
        if response.status_code == 303 or "HX-Redirect" in response.headers:
            self.token = None  # login and logout start a new session with a new token
        return self._remember_token(response)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def portal(client):
    return Portal(client)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """E-mails sent through flask-mailman's locmem backend."""
    state = app.extensions["mailman"]
    state.outbox = []
    return state.outbox


def registration_form(user_name="jessicacamp", password="abc123", states=("TX",), **overrides):
    """A complete, valid registration as the form posts it."""
    agent_ids = {"TX": "999999999", "IL": "111111111", "MT": "222222222", "NM": "333333333",
                 "OK": "444444444"}
    data = {"first_name": "Jessica", "last_name": "Camp", "user_name": user_name,
            "password": password, "confirm_password": password}
    for code in states:
        data.update({f"{code}-register": "y", f"{code}-company_name": "Producer Name Company",
                     f"{code}-address_1": "123 Test St", f"{code}-address_2": "",
                     f"{code}-city": "Testville", f"{code}-address_state": code,
                     f"{code}-zip_code": "99999", f"{code}-agent_id": agent_ids[code],
                     f"{code}-phone": "(815) 555-1212", f"{code}-email": "testproducer@gmail.com"})
    data.update(overrides)
    return data


def visible(response):
    """The words a reader sees: tags removed, entities decoded, white space folded."""
    import html
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()).replace(" .", ".")
