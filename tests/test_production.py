"""Production serving: gunicorn workers sharing sessions, refusing a schema that is behind until the deploy
step `flask db upgrade`, Secure cookies outside debug, and a database layer that behaves the same on SQLite and
PostgreSQL."""
import os
import re
import subprocess
import sys

import pytest

from rpp import create_app
from rpp.extensions import db
from rpp.migrations import LATEST, SchemaVersion
from tests.first_release import build_first_release_database
from tests.helpers import MISMATCH, ROOT, Portal, login, make_account, send, settings, visible


def test_outside_debug_the_session_cookie_is_secure_and_hsts_is_sent(tmp_path, database):
    config = {k: v for k, v in settings(tmp_path).items() if k != "SESSION_COOKIE_SECURE"}
    response = create_app(config).test_client().get("/")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    db.close()


def test_in_debug_the_session_cookie_works_over_plain_http(tmp_path, database):
    config = {k: v for k, v in settings(tmp_path).items() if k != "SESSION_COOKIE_SECURE"}
    response = create_app({**config, "DEBUG": True}).test_client().get("/")
    assert "Secure" not in response.headers["Set-Cookie"]
    db.close()


def test_the_sign_in_page_needs_no_database_connection(app, monkeypatch):
    def refuse():
        raise AssertionError("the sign-in page opened a database connection")
    monkeypatch.setattr(db.obj, "_connect", refuse)
    assert app.test_client().get("/").status_code == 200


def test_a_nul_character_in_a_user_name_is_a_mismatch_not_an_error(portal, app):
    make_account(app)
    response = login(portal, user_name="jessica\x00camp")
    assert response.status_code == 200 and MISMATCH in visible(response)
    response = portal.post("/register/validate", {"user_name": "a\x00b"}, htmx=True, trigger="user_name")
    assert response.status_code == 200 and "User Name must be" in visible(response)


# gunicorn, as docs/operating.md starts it (the `gunicorn` fixture is in conftest.py) -------------


@pytest.mark.slow
def test_any_gunicorn_worker_serves_a_signed_in_producer(app, gunicorn):
    make_account(app)
    db.close()
    port = gunicorn()
    status, headers, body = send(port, "GET", "/")
    assert status == 200 and "Secure" in headers["Set-Cookie"]
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    status, headers, _ = send(port, "POST", "/login", {"csrf_token": token, "user_name": "jessicacamp",
                                                       "password": "bcbs4tx9"}, cookie)
    assert status == 303
    signed_in = next(value for value in headers.get_all("Set-Cookie") if value.startswith("rpp_session="))
    signed_in = signed_in.split(";", 1)[0]
    # Sessions live in the database and the signed cookie: every request finds the producer,
    # whichever worker takes it.
    for _ in range(8):
        status, _, body = send(port, "GET", "/home", cookie=signed_in)
        assert status == 200 and "Logout" in body


@pytest.mark.slow
def test_gunicorn_refuses_a_database_that_is_behind_until_the_release_step_upgrades_it(tmp_path, gunicorn):
    build_first_release_database(settings(tmp_path)["DATABASE_URL"])
    with pytest.raises(AssertionError, match=f"version 1; this portal needs version {LATEST}. Run `flask db upgrade`"):
        gunicorn()  # each worker refuses to start, so gunicorn stops
    # The Procfile's release line and the web unit's ExecStartPre, outside debug.
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("FLASK_")},
                   "FLASK_DATABASE_URL": settings(tmp_path)["DATABASE_URL"], "FLASK_SECRET_KEY": "test-secret",
                   "FLASK_TWO_STEP_KEY": "test-secret"}
    release = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "--no-debug", "db", "upgrade"],
                             cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert release.returncode == 0, release.stderr
    assert f"Schema upgraded from version 1 to {LATEST}" in release.stdout
    port = gunicorn()
    assert send(port, "GET", "/")[0] == 200
    app = create_app(settings(tmp_path))
    with app.app_context():
        assert [v.version for v in SchemaVersion.select().order_by(SchemaVersion.version)] == \
            list(range(1, LATEST + 1))
    portal = Portal(app.test_client())
    assert login(portal, user_name="JessicaCamp", password="bcbs4tx9").status_code == 303
    db.close()


def failed_login_address(app, headers):
    """The client address recorded for a failed login sent with these headers."""
    from rpp.models import SecurityEvent
    portal = Portal(app.test_client())
    assert portal.post("/login", {"user_name": "nobody", "password": "wrong1"}, headers=headers).status_code == 200
    with app.app_context():
        return SecurityEvent.select().order_by(SecurityEvent.id.desc()).first().client_address


@pytest.mark.settings(TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(app):
    assert failed_login_address(app, {"X-Forwarded-For": "203.0.113.9"}) == "203.0.113.9"


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(app):
    assert failed_login_address(app, {"X-Forwarded-For": "203.0.113.9"}) == "127.0.0.1"
