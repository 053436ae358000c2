"""What an on-call engineer relies on, through a real gunicorn: the portal's own page while the database
is away, health checks for a load balancer, sign-in through a Redis outage."""
import html
import json
import os
import re
import select
import signal
import subprocess
import sys

import pytest

from rpp import create_app
from rpp.devtools.portal import upgraded_portal
from rpp.extensions import db
from rpp.messages import text
from rpp.registration import roster
from tests.helpers import (
    DEMO_ROSTER,
    ROOT,
    ThrowawayPostgres,
    ThrowawayRedis,
    free_port,
    make_account,
    registration_form,
    send,
    settings,
    wait_until,
)

PRODUCER = {"user_name": "jessicacamp", "password": "bcbs4tx9"}


def csrf_and_cookie(port, path="/"):
    """A page's CSRF token and the session cookie that goes with it."""
    status, headers, body = send(port, "GET", path)
    assert status == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    return token, headers["Set-Cookie"].split(";", 1)[0]


def sign_in(port, headers=None):
    """A signed-in producer's session cookie."""
    token, cookie = csrf_and_cookie(port)
    status, headers, _ = send(port, "POST", "/login", {"csrf_token": token, **PRODUCER}, cookie, headers)
    assert status == 303, status
    return next(value for value in headers.get_all("Set-Cookie") if value.startswith("rpp_session=")).split(";")[0]


def readiness(port):
    status, headers, body = send(port, "GET", "/readyz")
    assert headers["Content-Type"] == "application/json" and "Set-Cookie" not in headers
    return status, json.loads(body)


@pytest.fixture
def postgres():
    server = ThrowawayPostgres()
    yield server
    server.remove()


@pytest.mark.slow
def test_a_database_restart_under_a_signed_in_producer(tmp_path, postgres, gunicorn):
    app = upgraded_portal(settings(tmp_path, DATABASE_URL=postgres.url))
    with app.app_context():
        roster.import_roster(DEMO_ROSTER)
    make_account(app)
    db.close_all()
    postgres.stop()  # the hosts start while the database is away: they start, and are not ready
    port = gunicorn(FLASK_DATABASE_URL=postgres.url)
    assert send(port, "GET", "/healthz")[0] == 200 and readiness(port)[0] == 503
    status, _, body = send(port, "GET", "/metrics")
    assert status == 200 and "\nrpp_database_up 0.0\n" in body
    postgres.start()
    wait_until(lambda: readiness(port)[0] == 200, what="/readyz to answer 200 once the database is up")
    cookie = sign_in(port)
    assert send(port, "GET", "/home", cookie=cookie)[0] == 200
    assert readiness(port) == (200, {"status": "ok", "checks": {"database": "ok", "rate_limit_store": "ok"}})

    postgres.stop()
    for headers in ({}, {"HX-Request": "true"}):
        status, answer, body = send(port, "GET", "/home", cookie=cookie, headers=headers)
        assert status == 503 and answer["Retry-After"] == "5", (status, body)
        assert text("error.database.title") in html.unescape(body) and "Internal Server Error" not in body
    assert "<html" in send(port, "GET", "/account/profile", cookie=cookie)[2]
    status, ready = readiness(port)
    assert status == 503 and ready["status"] == "failing" and ready["checks"]["database"] != "ok"
    assert ready["checks"]["rate_limit_store"] == "ok"
    status, _, body = send(port, "GET", "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}

    postgres.start()
    wait_until(lambda: readiness(port)[0] == 200, what="/readyz to answer 200 again")
    wait_until(lambda: send(port, "GET", "/home", cookie=cookie)[0] == 200, what="the home page again")
    assert send(port, "GET", "/healthz")[0] == 200
    log = gunicorn.log()
    assert "Traceback" not in log and "GET /home answered 503 (error.database): OperationalError" in log


def test_health_checks_set_no_cookie_and_never_touch_the_database(app, monkeypatch):
    client = app.test_client()
    def refuse():
        raise AssertionError("/healthz opened a database connection")
    monkeypatch.setattr(db.obj, "_connect", refuse)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


@pytest.mark.settings(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}",
                      RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False)
def test_without_the_memory_fallback_an_unreachable_rate_limit_store_makes_the_host_not_ready(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.json["status"] == "failing"
    assert response.json["checks"]["database"] == "ok" and response.json["checks"]["rate_limit_store"] != "ok"


def test_readiness_names_a_schema_older_than_the_code(app):
    from rpp.migrations import LATEST, SchemaVersion
    with app.app_context():
        SchemaVersion.delete().execute()
        SchemaVersion.create(version=LATEST - 1)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == f"schema at version {LATEST - 1}, the code needs {LATEST}"


@pytest.fixture
def redis():
    server = ThrowawayRedis()
    yield server
    server.stop()


@pytest.mark.slow
def test_sign_in_continue_and_recovery_keep_answering_while_redis_is_away(app, gunicorn, redis):
    make_account(app)
    db.close()
    port = gunicorn(FLASK_RATELIMIT_STORAGE_URI=redis.url, FLASK_LOG_FORMAT="json", FLASK_TRUSTED_PROXIES="1")
    assert sign_in(port)
    assert readiness(port)[0] == 200
    redis.stop()
    assert sign_in(port, {"X-Request-Id": "proxy-7f3a"})  # the first sign-in after Redis went away
    for _ in range(3):  # both workers, whichever answers
        assert sign_in(port)
    token, cookie = csrf_and_cookie(port, "/register")
    form = registration_form(user_name="newproducer", states=("IL",))
    status, answer, _ = send(port, "POST", "/register", {"csrf_token": token, **form}, cookie)
    assert status == 303 and answer["Location"].endswith("/register/confirm"), status
    token, cookie = csrf_and_cookie(port, "/forgot-user-name")
    status, _, _ = send(port, "POST", "/forgot-user-name",
                        {"csrf_token": token, "agent_id": "999999999", "email": "nobody@example.com"}, cookie)
    assert status in (200, 303), status
    status, ready = readiness(port)  # still serving, with per-process limits: degraded, not out of the pool
    assert (status, ready["status"], ready["checks"]["database"]) == (200, "degraded", "ok")
    assert ready["checks"]["rate_limit_store"] != "ok"
    # One warning per worker, as a JSON line carrying the id the proxy gave the request that met the outage.
    lines = [json.loads(line) for line in gunicorn.log().splitlines() if line.startswith("{")]
    warnings = [line for line in lines if "falling back to in-memory storage" in line["message"]]
    assert 1 <= len(warnings) <= 2 and warnings[0]["request_id"] == "proxy-7f3a"
    assert warnings[0]["level"] == "WARNING" and warnings[0]["logger"] == "flask-limiter" and "time" in warnings[0]


def test_each_answer_carries_its_request_id_a_trusted_proxys_when_it_sent_one(app):
    assert len(app.test_client().get("/").headers["X-Request-Id"]) == 32
    ignored = app.test_client().get("/", headers={"X-Request-Id": "proxy-7f3a"})
    assert ignored.headers["X-Request-Id"] != "proxy-7f3a"  # no proxy is trusted: anyone could send one


@pytest.mark.settings(TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_its_request_id_is_kept(app):
    assert app.test_client().get("/", headers={"X-Request-Id": "proxy-7f3a"}).headers["X-Request-Id"] == "proxy-7f3a"
    odd = app.test_client().get("/", headers={"X-Request-Id": "a b\"c"}).headers["X-Request-Id"]
    assert len(odd) == 32 and " " not in odd


def test_a_signed_in_producer_gets_the_portal_page_when_the_database_fails_loading_the_session(app, monkeypatch):
    from peewee import OperationalError

    from rpp.auth import service
    from tests.helpers import Portal, login, visible
    make_account(app)
    portal = Portal(app.test_client())
    assert login(portal).status_code == 303
    calls = []

    def fail(token):
        calls.append(token)
        raise OperationalError("connection to server at \"127.0.0.1\", port 5432 failed:\n\tConnection refused")
    monkeypatch.setattr(service.SignedIn, "__init__", lambda *_: fail(None))
    for htmx in (False, True):
        response = portal.get("/home", htmx=htmx)
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        assert text("error.database.message") in visible(response)
    page = portal.get("/account/profile")
    assert "Logout" not in visible(page) and "<html" in page.get_data(as_text=True)  # the signed-out header
    assert len(calls) == 3  # one failed look-up per request; the error page looked nothing up


# The mail relay and `flask mail status`, as an operator runs them --------------------------------

def flask_command(*arguments, **environment):
    """`flask --app app …` in production mode (no FLASK_DEBUG) with these FLASK_* settings, as systemd runs it."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}, "FLASK_SECRET_KEY": "test-secret",
           "FLASK_TWO_STEP_KEY": "test-secret",
           **environment}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", *arguments], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_mail_status_exits_2_in_one_line_when_the_database_cannot_be_reached():
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/rpp"
    output, _ = flask_command("mail", "status", FLASK_DATABASE_URL=unreachable).communicate(timeout=60)
    lines = output.splitlines()
    assert "Traceback" not in output and lines[-1].startswith("Database unreachable: OperationalError: ")
    assert len(lines) == 2 and "database unreachable at start-up" in lines[0]


class RefusingInbox:
    """An SMTP server that answers every recipient "try again later"."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "451 4.3.0 Mailbox busy, try again later"


def test_the_relay_logs_each_failed_try_with_the_servers_answer_and_the_next_try(app):
    from aiosmtpd.controller import Controller

    from rpp.models import OutboxMessage
    with app.app_context():
        OutboxMessage.create(recipient="producer@example.com", subject="Test", body_text="Hello")
    server = Controller(RefusingInbox(), hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        relay = flask_command("mail", "relay", FLASK_DATABASE_URL=app.config["DATABASE_URL"],
                              FLASK_MAIL_BACKEND="smtp", FLASK_MAIL_SERVER="127.0.0.1",
                              FLASK_MAIL_PORT=str(server.port), FLASK_MAIL_USE_TLS="false")
        output = bytearray()

        def a_pass_was_logged():
            if select.select([relay.stdout], [], [], 0.5)[0]:  # never blocks past wait_until's deadline
                output.extend(os.read(relay.stdout.fileno(), 65536))
            return b"mail relay pass" in output
        wait_until(a_pass_was_logged, what="the relay's pass")
        lines = [line for line in output.decode().splitlines() if line]
        relay.send_signal(signal.SIGTERM)
        relay.communicate(timeout=60)
    finally:
        server.stop()
    failed = next(line for line in lines if "not sent" in line)
    assert "WARNING rpp.relay" in failed and "to producer@example.com not sent (attempt 1 of 30)" in failed
    assert "451 4.3.0 Mailbox busy, try again later; next try: " in failed and " UTC" in failed
    assert "mail relay pass: 0 sent, 1 waiting for retry, 0 failed" in lines[-1]


def test_any_flask_command_outside_debug_needs_the_secret_key_even_from_the_repository():
    """.flaskenv no longer turns debug on for every command run from the repository."""
    env_without_key = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    relay = subprocess.run([sys.executable, "-m", "flask", "mail", "relay"], cwd=ROOT, env=env_without_key,
                           capture_output=True, text=True, timeout=60)
    assert relay.returncode != 0 and "SECRET_KEY is required outside debug" in relay.stderr
    assert "Mail relay started" not in relay.stdout


# Keys: SECRET_KEY rotated with the old one in SECRET_KEY_FALLBACKS ---------------------------------

def test_after_a_secret_key_rotation_sessions_and_forms_rendered_before_it_still_work(app):
    from tests.helpers import Portal, login, visible
    make_account(app)
    portal = Portal(app.test_client())
    assert login(portal).status_code == 303
    assert portal.get("/account/profile").status_code == 200
    old_token = portal.token  # in a form rendered under the old key, sent after the switch
    app.config.update(SECRET_KEY_FALLBACKS=[app.config["SECRET_KEY"]], SECRET_KEY="the new secret key")
    assert "Logout" in visible(portal.client.get("/home"))  # the session cookie signed with the old key
    form = {"csrf_token": old_token}
    assert portal.post("/account/sessions/sign-out-everywhere-else", form, csrf=False).status_code == 303
    app.config["SECRET_KEY_FALLBACKS"] = []  # the old key retired: the old page's token is refused
    assert portal.post("/account/sessions/sign-out-everywhere-else", form, csrf=False).status_code == 400
    assert "Logout" in visible(portal.client.get("/home"))  # the cookie was signed again with the new key


def test_a_portal_mounted_under_a_prefix_links_under_it(client):
    assert 'href="/contact-us"' in client.get("/").get_data(as_text=True)
    mounted = client.get("/", environ_overrides={"SCRIPT_NAME": "/portal"}).get_data(as_text=True)
    assert 'href="/portal/contact-us"' in mounted and 'href="/contact-us"' not in mounted
    assert 'src="/portal/static/vendor/htmx-' in mounted


def test_outside_debug_the_two_step_key_is_required(tmp_path, database):
    config = {k: v for k, v in settings(tmp_path).items() if k != "TESTING"}
    with pytest.raises(RuntimeError, match="TWO_STEP_KEY is required outside debug"):
        create_app(config)
    assert create_app({**config, "TWO_STEP_KEY": "a separate key"}).config["TWO_STEP_KEY"] == "a separate key"
    db.close()


# Sessions follow the account's standing ------------------------------------------------------------

def test_revoking_the_last_active_registration_in_the_console_ends_the_producers_sessions(app, console):
    from rpp.models import SecurityEvent
    from tests.helpers import Portal, login, state_registration, visible
    make_account(app, states=("TX", "IL"))
    producer = Portal(app.test_client())
    assert login(producer).status_code == 303
    tx, il = state_registration("TX"), state_registration("IL")
    assert console.post(f"/staff/registrations/{tx.id}/revoke",
                        {f"registration-{tx.id}-reason": "Contract ended"}).status_code == 303
    assert "Logout" in visible(producer.get("/home"))  # Illinois is still active
    assert console.post(f"/staff/registrations/{il.id}/revoke",
                        {f"registration-{il.id}-reason": "Contract ended"}).status_code == 303
    assert producer.get("/home").status_code == 302  # signed out: to the sign-in page
    with app.app_context():
        [event] = SecurityEvent.select().where(SecurityEvent.kind == "sessions ended")
        assert event.detail == "1 session(s): no active registration"


def test_flask_registrations_revoke_tells_the_producer_and_ends_their_sessions(app, runner, outbox):
    from rpp.models import LoginSession
    from tests.helpers import Portal, login, state_registration
    make_account(app, states=("TX",))
    producer = Portal(app.test_client())
    assert login(producer).status_code == 303
    result = runner.invoke(args=["registrations", "revoke", "JessicaCamp", "--state", "tx", "--reason", "Left"])
    assert result.exit_code == 0, result.output
    assert result.output == "Revoked jessicacamp in TX; e-mail queued for testproducer@gmail.com.\n"
    assert state_registration("TX").status == "revoked" and state_registration("TX").rejection_reason == "Left"
    assert outbox[-1].subject == "Retail Producer Portal Registration Revoked"
    with app.app_context():
        assert LoginSession.select().count() == 0
    again = runner.invoke(args=["registrations", "revoke", "jessicacamp", "--state", "TX", "--reason", "Left"])
    assert again.exit_code == 1 and "jessicacamp has no active registration in Texas." in again.output


# Retention --------------------------------------------------------------------------------------------

@pytest.mark.settings(EVENT_RETENTION_DAYS=0, MAIL_RETENTION_DAYS=0, BROWSER_RETENTION_DAYS=0)
def test_purge_with_a_retention_of_0_days_keeps_live_sessions_and_activity_shows_nothing_purged(app, runner):
    from datetime import timedelta

    from rpp import clock
    from rpp.account.service import recent_activity
    from rpp.models import Account, KnownBrowser, LoginSession, OutboxMessage, RegistrationDraft, SecurityEvent
    from tests.helpers import Portal, login, visible
    make_account(app)
    producer = Portal(app.test_client())
    assert login(producer).status_code == 303
    now = clock.utcnow()
    with app.app_context():
        account = Account.get()
        assert SecurityEvent.select().count() and KnownBrowser.select().count()
        assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null(False)).count()
        LoginSession.create(token="expired", account=account, created_at=now - timedelta(hours=13),
                            expires_at=now - timedelta(hours=1))
        RegistrationDraft.create(token="old", data="{}", password_hash="", created_at=now - timedelta(days=2))
        RegistrationDraft.create(token="new", data="{}", password_hash="")
        OutboxMessage.create(recipient="later@example.com", subject="Queued", body_text="Not sent yet")
    result = runner.invoke(args=["maintenance", "purge"])
    assert result.exit_code == 0, result.output
    assert "Expired sessions (producers and staff): 1\nExpired registration drafts: 1\n" in result.output
    assert "Sent e-mail: 1\n" in result.output and "Known browsers not seen for the retention: 1\n" in result.output
    with app.app_context():
        assert SecurityEvent.select().count() == 0 and recent_activity(account) == []
        assert [s.token for s in LoginSession.select()] != ["expired"] and LoginSession.select().count() == 1
        assert [d.token for d in RegistrationDraft.select()] == ["new"]
        assert [m.recipient for m in OutboxMessage.select()] == ["later@example.com"]  # unsent mail stays
        assert KnownBrowser.select().count() == 0
    assert "Logout" in visible(producer.get("/home"))  # the live session was never touched
    assert runner.invoke(args=["maintenance", "purge"]).output.count(": 0\n") == 6  # nothing left to remove


def test_by_default_a_purge_keeps_recent_events_mail_and_browsers(app, runner):
    from rpp.models import KnownBrowser, OutboxMessage, SecurityEvent
    from tests.helpers import Portal, login
    make_account(app)
    assert login(Portal(app.test_client())).status_code == 303
    with app.app_context():
        before = (SecurityEvent.select().count(), OutboxMessage.select().count(), KnownBrowser.select().count())
    assert runner.invoke(args=["maintenance", "purge"]).exit_code == 0
    with app.app_context():
        assert (SecurityEvent.select().count(), OutboxMessage.select().count(), KnownBrowser.select().count()) == before


# Backups that restore -----------------------------------------------------------------------------------

def test_a_sqlite_backup_restores_into_a_fresh_portal_where_the_producer_signs_in(tmp_path):
    import shutil

    from tests.helpers import Portal, login
    live = tmp_path / "live"
    live.mkdir()
    app = upgraded_portal(settings(live, DATABASE_URL=f"sqlite:///{live}/rpp.sqlite3"))
    with app.app_context():
        roster.import_roster(DEMO_ROSTER)
    make_account(app)
    producer = Portal(app.test_client())
    assert login(producer).status_code == 303  # a session open while the backup runs
    result = app.test_cli_runner().invoke(args=["db", "backup", str(tmp_path / "backup.sqlite3")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Backed up sqlite:///{live}/rpp.sqlite3 to {tmp_path}/backup.sqlite3 (")
    db.close_all()
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copyfile(tmp_path / "backup.sqlite3", restored / "rpp.sqlite3")  # the restore: the file, portal stopped
    fresh = create_app(settings(restored, DATABASE_URL=f"sqlite:///{restored}/rpp.sqlite3"))
    assert login(Portal(fresh.test_client())).status_code == 303
    db.close_all()


def test_backup_of_a_postgresql_database_points_to_pg_dump(tmp_path):
    from rpp.cli import db_backup
    app = create_app(settings(tmp_path, DATABASE_URL=f"postgresql://nobody@127.0.0.1:{free_port()}/rpp"))
    result = app.test_cli_runner().invoke(db_backup, [str(tmp_path / "backup")])
    assert result.exit_code == 1 and "for PostgreSQL use pg_dump (docs/operating.md)" in result.output


@pytest.mark.slow
def test_a_postgresql_backup_by_docs_commands_restores_into_a_fresh_portal(tmp_path, postgres):
    """docs/operating.md's pg_dump and pg_restore commands, as written there."""
    from tests.helpers import Portal, login
    app = upgraded_portal(settings(tmp_path, DATABASE_URL=postgres.url))
    with app.app_context():
        roster.import_roster(DEMO_ROSTER)
    make_account(app)
    db.close_all()
    tools = {"PATH": f"{postgres.bin}:{os.environ['PATH']}"}
    backup, restored = tmp_path / "rpp.dump", f"postgresql://postgres@127.0.0.1:{postgres.port}/restored"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={backup}", postgres.url], check=True,
                   env=tools)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "restored"],
                   check=True, env=tools)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(backup)], check=True,
                   env=tools)
    fresh = create_app(settings(tmp_path, DATABASE_URL=restored))
    assert login(Portal(fresh.test_client())).status_code == 303
    db.close_all()


# Metrics ------------------------------------------------------------------------------------------------

def metric(body, name, **labels):
    """A sample's value in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = re.escape(name + (f"{{{wanted}}}" if labels else "")) + r" ([0-9.e+-]+)$"
    match = re.search(pattern, body, re.M)
    return float(match.group(1)) if match else 0.0


def test_metrics_count_sign_in_outcomes_lockouts_and_the_outbox(app, portal):
    from tests.helpers import login
    make_account(app)
    before = app.test_client().get("/metrics").get_data(as_text=True)
    for _ in range(3):
        login(portal, password="wrong12")
    login(portal)  # locked now
    body = app.test_client().get("/metrics").get_data(as_text=True)
    outcome = lambda text, value: metric(text, "rpp_sign_ins_total", who="producer", outcome=value)  # noqa: E731
    assert outcome(body, "mismatch") - outcome(before, "mismatch") == 3
    assert outcome(body, "locked") - outcome(before, "locked") == 1
    assert metric(body, "rpp_lockouts_total", who="producer") - metric(before, "rpp_lockouts_total",
                                                                       who="producer") == 1
    assert metric(body, "rpp_http_requests_total", endpoint="auth.login", method="POST", status="200") >= 4
    assert metric(body, "rpp_database_up") == 1 and metric(body, "rpp_outbox_unsent") == 0
    assert 'rpp_http_request_duration_seconds_bucket{endpoint="auth.login",le="10.0"}' in body


@pytest.mark.settings(SIGN_IN_LIMIT_PER_ADDRESS="1 per minute")
def test_a_sign_in_refused_by_the_limit_is_counted_as_limited(app, portal):
    from tests.helpers import login
    before = metric(app.test_client().get("/metrics").get_data(as_text=True), "rpp_sign_ins_total",
                    who="producer", outcome="limited")
    login(portal, password="wrong12")
    assert login(portal, password="wrong12").status_code == 429
    after = metric(app.test_client().get("/metrics").get_data(as_text=True), "rpp_sign_ins_total",
                   who="producer", outcome="limited")
    assert after - before == 1


def test_metrics_are_for_the_allowed_addresses_only_and_set_no_cookie(app):
    refused = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert refused.status_code == 403 and "rpp_" not in refused.get_data(as_text=True)
    allowed = app.test_client().get("/metrics")
    assert allowed.status_code == 200 and "Set-Cookie" not in allowed.headers
    assert allowed.headers["Content-Type"].startswith("text/plain")


@pytest.mark.slow
def test_under_gunicorn_metrics_add_up_every_workers_answers(app, gunicorn):
    db.close()
    port = gunicorn()
    for _ in range(12):
        assert send(port, "GET", "/contact-us")[0] == 200
    _, _, body = send(port, "GET", "/metrics")
    assert metric(body, "rpp_http_requests_total", endpoint="pages.contact_us", method="GET", status="200") == 12


# gunicorn behind the proxy ------------------------------------------------------------------------------

@pytest.mark.parametrize("environment, bind", [({}, "['127.0.0.1:8000']"), ({"PORT": "9000"}, "['127.0.0.1:9000']"),
                                               ({"BIND": "10.0.0.5:8000"}, "['10.0.0.5:8000']")])
def test_gunicorn_listens_on_loopback_unless_told_and_logs_each_request_with_its_id(tmp_path, environment, bind):
    env = {**{k: v for k, v in os.environ.items() if k not in ("PORT", "BIND")},
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), **environment}
    printed = subprocess.run([sys.executable, "-m", "gunicorn", "--print-config", "app:app"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60).stdout
    config = dict(re.findall(r"^(\w+) += (.*)$", printed, re.M))
    assert config["bind"] == bind and config["control_socket_disable"] == "True" and config["accesslog"] == "-"
    assert "request_id=%({x-request-id}o)s" in config["access_log_format"] and "%(M)sms" in config["access_log_format"]
    assert int(config["graceful_timeout"]) > int(config["timeout"])
