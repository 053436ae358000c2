"""Fixtures: a fresh portal per test on its own SQLite file, with mail kept in memory.

With RPP_TEST_DATABASE_URL=postgresql://… every test gets its own PostgreSQL schema instead.
The schema and the demo roster are built once per run (template_database); each test's `app`
starts from a copy of them, and a test that builds its own database starts from an empty one.
"""
import shutil
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from rpp import create_app
from rpp.devtools.portal import upgraded_portal
from rpp.extensions import db
from rpp.registration import roster
from tests.helpers import (
    DEMO_ROSTER,
    POSTGRES_URL,
    Gunicorn,
    Portal,
    add_staff_user,
    postgres_schema,
    settings,
    staff_login,
)


def admin_connection():
    import psycopg2
    admin = psycopg2.connect(POSTGRES_URL)
    admin.autocommit = True
    return admin


def close_database():
    """Give back this thread's connection and close the pool's idle ones (none when no portal was made)."""
    if db.obj is None:
        return
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def build_template(path):
    """A new portal's database at the latest schema version (`flask db upgrade`), with the demo roster."""
    app = upgraded_portal(settings(path))
    with app.app_context():
        roster.import_roster(DEMO_ROSTER)
        if not POSTGRES_URL:  # everything into the main file, so copying the file copies it all
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()


class SqliteTemplate:
    def __init__(self, path):
        build_template(path)
        self.file = path / "rpp.sqlite3"

    def copy_to(self, tmp_path):
        shutil.copyfile(self.file, tmp_path / "rpp.sqlite3")


class PostgresTemplate:
    """The statements that built the template schema, replayed in one round trip into a test's schema."""

    def __init__(self, path):
        from rpp.database import PortalPostgresqlDatabase
        schema, statements = postgres_schema(path), []
        execute = PortalPostgresqlDatabase.execute_sql

        def recorded(database, sql, params=None):
            statements.append((sql, params))
            return execute(database, sql, params)

        admin = admin_connection()
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {schema}")
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(PortalPostgresqlDatabase, "execute_sql", recorded)
                build_template(path)
            self.script = ";\n".join(cursor.mogrify(sql, params).decode() for sql, params in statements
                                     if not sql.lstrip().upper().startswith("SELECT"))
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()

    def copy_to(self, tmp_path):
        admin = admin_connection()
        with admin.cursor() as cursor:
            cursor.execute(f"SET search_path TO {postgres_schema(tmp_path)};\n{self.script}")
        admin.close()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """Built once per run: creating the schema took most of each test's set-up time."""
    path = tmp_path_factory.mktemp("template")
    return PostgresTemplate(path) if POSTGRES_URL else SqliteTemplate(path)


@pytest.fixture(autouse=True)
def test_database(tmp_path):
    """On PostgreSQL, an empty schema for this test, dropped afterwards (SQLite needs nothing)."""
    if not POSTGRES_URL:
        yield
        return
    schema = postgres_schema(tmp_path)
    admin = admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    yield
    close_database()
    with admin.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    admin.close()


@pytest.fixture
def database(tmp_path, template_database):
    """This test's database, settings(tmp_path)'s: a copy of the template (the latest schema, the demo roster),
    for a test that starts its own portal on it (create_app refuses a database that is behind)."""
    template_database.copy_to(tmp_path)


@pytest.fixture
def app(request, tmp_path, database):
    """The portal on a copy of the template database (schema and demo roster);
    @pytest.mark.settings(NAME=value) changes a setting for this test."""
    marker = request.node.get_closest_marker("settings")
    app = create_app(settings(tmp_path, **(marker.kwargs if marker else {})))
    yield app
    if not db.is_closed():
        db.close()


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


class Answer:
    """An answer's iterable that can be closed twice and does its closing once."""

    def __init__(self, iterable):
        self.iterable, self.closed = iterable, False

    def __iter__(self):
        return iter(self.iterable)

    def close(self):
        if not self.closed and hasattr(self.iterable, "close"):
            self.iterable.close()
        self.closed = True


def answers_kept(app):
    """The app, leaving each answer in its request's environ for ClosingRequestHandler."""
    def keeping(environ, start_response):
        environ["rpp.answer"] = Answer(app(environ, start_response))
        return environ["rpp.answer"]
    return keeping


class ClosingRequestHandler(WSGIRequestHandler):
    """werkzeug's request handler, closing the answer also when the browser dropped the connection.

    When a browser leaves a page while a file is still being sent (the favicon, say), werkzeug's own
    handler reads what is left of the request before closing the answer; that read fails on the reset
    connection, and the open file waits for the garbage collector: a ResourceWarning failing whichever
    test runs then. (gunicorn, in production, closes the answer whatever happened.)"""

    def run_wsgi(self):
        try:
            super().run_wsgi()
        finally:
            answer = getattr(self, "environ", {}).get("rpp.answer")
            if answer is not None:
                answer.close()


@pytest.fixture
def live_server(app):
    """The portal on 127.0.0.1 and a free port, served by werkzeug in a thread."""
    server = make_server("127.0.0.1", 0, answers_kept(app), threaded=True, request_handler=ClosingRequestHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def staff_user(app):
    """alice, the console's first staff user (so an admin), with two-step set up."""
    with app.app_context():
        return add_staff_user("Alice").user_name


@pytest.fixture
def console(app, staff_user):
    """A staff member's browser, signed in to the console."""
    portal = Portal(app.test_client())
    assert staff_login(portal).status_code == 303
    return portal


@pytest.fixture
def gunicorn(tmp_path):
    """Start gunicorn (call it, optionally with workers= and FLASK_* settings); stopped after the test."""
    servers = Gunicorn(tmp_path)
    yield servers
    servers.stop()
