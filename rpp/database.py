"""The database behind `db`: a pool of connections to DATABASE_URL, SQLite or PostgreSQL.

A request takes a connection at its first query (pages that need none never touch the
database) and gives it back at its end (create_app's teardown); a gunicorn worker serving one
request at a time keeps one connection open instead of opening one per request.
"""
from peewee import InterfaceError, OperationalError
from playhouse.db_url import connect, parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase
from werkzeug.routing import IntegerConverter

DATABASE_DOWN = (OperationalError, InterfaceError)  # what peewee raises when the server cannot be reached
# WAL lets readers work while one writer commits; the busy timeout makes a writer wait its turn.
SQLITE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000, "synchronous": "normal"}


class PortalPostgresqlDatabase(PooledPostgresqlDatabase):
    """PostgreSQL text cannot hold a NUL character. In a query parameter it becomes U+FFFD, so
    looking up typed input that holds one finds nothing (as on SQLite) instead of failing; the
    field rules already refuse it in anything stored."""

    def execute_sql(self, sql, params=None):
        if params and any(isinstance(value, str) and "\x00" in value for value in params):
            params = [value.replace("\x00", "\ufffd") if isinstance(value, str) else value for value in params]
        return super().execute_sql(sql, params)


def open_database(config):
    """A pooled peewee database for config["DATABASE_URL"]; options in the URL's query win."""
    url = config["DATABASE_URL"]
    scheme = url.split("://", 1)[0]
    # timeout: how long a request waits for a free connection when all are in use.
    pool = {"max_connections": config["DATABASE_POOL_SIZE"], "stale_timeout": 300, "timeout": 10}
    if scheme in ("sqlite", "postgres", "postgresql"):
        options = {**pool, **parse(url, unquote_password=True, unquote_user=True)}
        if scheme == "sqlite":
            return PooledSqliteDatabase(pragmas=SQLITE_PRAGMAS, check_same_thread=False, **options)
        return PortalPostgresqlDatabase(**options)
    return connect(url)  # any other peewee db_url, e.g. postgresql+pool:// tuned by hand


class RowIdConverter(IntegerConverter):
    """`<int:…>` in a URL: ASCII digits within the databases' 64-bit integer range, so a huge or
    non-numeric id matches no route (Page not found) instead of overflowing in a query."""

    regex = r"[0-9]{1,19}"

    def __init__(self, map, **options):
        options.setdefault("max", 2**63 - 1)
        super().__init__(map, **options)
