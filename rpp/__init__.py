"""The Retail Producer Portal: create_app() builds the Flask app from its settings."""
import os
import secrets
import threading

import click
from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    account,
    auth,
    cli,
    compression,
    errors,
    gates,
    headers,
    health,
    keys,
    languages,
    limits,
    login_sessions,
    logs,
    metrics,
    outbox,
    pages,
    passkeys,
    passwords,
    recovery,
    registration,
    sessions,
    staff,
    templating,
    twostep,
)
from .database import DATABASE_DOWN, RowIdConverter, open_database
from .extensions import csrf, db, limiter, login_manager, mail
from .keys import require_two_step_key
from .migrations import SchemaBehind, require_latest
from .settings import DEFAULTS

NO_DATABASE = {"static", "health.live", "health.ready", "metrics.scrape"}  # answers that never wait for the schema
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HTMX_VERSION = "2.0.11"


def create_app(config=None):
    """Build the portal: settings, database, then everything `register` binds to the app."""
    app = Flask(__name__, instance_path=os.path.join(ROOT, "instance"),
                instance_relative_config=True, template_folder=os.path.join(ROOT, "templates"),
                static_folder=os.path.join(ROOT, "static"))
    load_settings(app, config)
    logs.configure(app)
    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    if app.config["TRUSTED_PROXIES"]:
        # The client address (lockout events, rate limits) and scheme as the proxies saw them.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)
    bind_database(app)
    passwords.init_app(app)
    register(app)
    return app


def register(app):
    """Every extension, blueprint and cross-cutting rule of the portal, in one place."""
    compression.init_app(app)  # first: its after_request runs last and compresses the final answer
    logs.init_app(app)  # next: the request id is taken before any other hook and sent whatever answers
    metrics.init_app(app)  # then the clock for the request's duration
    limits.init_app(app)
    keys.init_app(app)  # the CSRF check that knows SECRET_KEY_FALLBACKS, in place of Flask-WTF's own
    for extension in (csrf, mail, limiter, login_manager):
        extension.init_app(app)
    login_manager.user_loader(signed_in_loader(auth.service.load_session, health.ENDPOINTS | {"metrics.scrape"}))
    for area in (health, metrics, auth, registration, account, twostep, login_sessions, passkeys, recovery, staff,
                 pages, languages):
        app.register_blueprint(area.bp)
    languages.init_app(app)  # before the templates: they translate with the i18n extension it adds
    templating.init_app(app, ROOT)
    for rule in (sessions, headers, gates, errors, outbox, cli):
        rule.init_app(app)


def signed_in_loader(load_session, never_signed_in):
    """Flask-Login's user loader: the account behind the cookie's session token, except while an error
    page is rendered (rpp.errors: it never touches the database, which may be what failed) and on the
    endpoints `never_signed_in` (health checks)."""
    def load(token):
        if g.get("rpp_error") or request.endpoint in never_signed_in:
            return None
        return load_session(token)
    return load


def load_settings(app, config):
    """Defaults, then instance/config.py, then FLASK_* environment variables, then `config`."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    app.config.from_mapping(config or {})
    if not app.config["DATABASE_URL"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "rpp.sqlite3")
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not app.debug
    app.config["HTMX_VERSION"] = HTMX_VERSION
    if not app.config.get("SECRET_KEY"):
        if not app.debug:
            raise RuntimeError("SECRET_KEY is required outside debug: set FLASK_SECRET_KEY "
                               "or SECRET_KEY in instance/config.py.")
        app.config["SECRET_KEY"] = debug_secret_key(app)
    require_two_step_key(app)


def debug_secret_key(app):
    """In debug, a random key kept in instance/ so sessions survive a restart."""
    path = os.path.join(app.instance_path, "secret_key")
    os.makedirs(app.instance_path, exist_ok=True)
    if not os.path.exists(path):
        with open(path, "w") as key_file:
            key_file.write(secrets.token_hex(32))
    with open(path) as key_file:
        return key_file.read().strip()


def bind_database(app):
    """Bind peewee to DATABASE_URL (a connection pool, rpp.database) and check that its schema is the code's.

    The schema is a deploy step, `flask db upgrade` (rpp.migrations): the portal refuses to start on a
    database that is behind, with SchemaBehind naming that command. A database that cannot be reached at
    start-up does not stop the start: the error is logged in one line, pages answer 503 (rpp.errors) and
    the schema is checked at the first request that reaches it."""
    database = open_database(app.config)
    db.initialize(database)
    try:
        check_schema(app)
    except DATABASE_DOWN as error:
        app.logger.error("database unreachable at start-up (%s: %s); trying again at each request",
                         type(error).__name__, " ".join(str(error).split()))

        lock = threading.Lock()

        def schema_when_reachable():
            if "rpp_schema" not in app.extensions:
                with lock:
                    if "rpp_schema" not in app.extensions:
                        check_schema(app)
        app.extensions["rpp_schema_when_reachable"] = schema_when_reachable  # /readyz calls it too
        app.before_request(lambda: None if request.endpoint in NO_DATABASE else schema_when_reachable())
    # No connection outlives start-up: a forking server (gunicorn --preload) must not share one.
    if hasattr(database, "close_all"):
        database.close_all()

    @app.teardown_request
    def close_database(exc):
        if not db.is_closed():
            db.close()  # back to the pool


def check_schema(app):
    """Refuse a database whose schema is not the code's (rpp.migrations.require_latest). The `flask` command
    line is let through a schema that is behind (click's current context says it is running a command):
    its `flask db upgrade` is what brings such a database forward."""
    with db.connection_context():
        try:
            require_latest()
        except SchemaBehind:
            if click.get_current_context(silent=True) is None:
                raise
    app.extensions["rpp_schema"] = "checked"
