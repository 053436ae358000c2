"""Query plans of the lookups behind login, the session, inline validation and recovery.

    python -m bench.explain --database-url sqlite:////tmp/bench.sqlite3     # a database seeded by bench.seed

Runs the portal's own service functions, captures the SQL they send (peewee's query log) and
asks the database how it would run each statement: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
PostgreSQL. Every lookup should be an index search, never a scan of a growing table.
"""
import argparse
import logging

from peewee import PostgresqlDatabase

from . import seed as seeding


class Captured(logging.Handler):
    """Collects (sql, params) from peewee's query log."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.queries = []

    def emit(self, record):
        if isinstance(record.msg, tuple):
            self.queries.append(record.msg)


def lookups(accounts):
    """(what, function) for each lookup a non-hashing page or a login makes."""
    from rpp.auth import service as auth
    from rpp.extensions import db
    from rpp.registration import service as registration
    name = seeding.user_name(accounts // 2)
    agent_id = str(seeding.ACCOUNT_AGENT_ID + accounts // 2)

    def lockout_counter():
        with db.atomic() as transaction:  # counted, then rolled back
            auth.reserve_attempt(auth.find_account(name), __import__("rpp").clock.utcnow())
            transaction.rollback()

    found = [
        ("Login: the account by user name", lambda: auth.find_account(name)),
        ("Login: the atomic lockout counter (UPDATE … RETURNING)", lockout_counter),
        ("Login: active states", lambda: auth.active_states(auth.find_account(name))),
        ("Every signed-in page: the session by token", lambda: auth.load_session("x" * 43)),
        ("Validation: user name taken?", lambda: registration.user_name_taken("newname123")),
        ("Validation: Agent Unique ID on the roster / registered?",
         lambda: registration.agent_id_problem("TX", str(seeding.SPARE_AGENT_ID + 7))),
    ]
    try:
        from rpp.recovery import service as recovery
        found.append(("Recovery: registrations with an Agent Unique ID",
                      lambda: recovery.registrations_with_agent_id(agent_id)))
    except ImportError:  # recovery not in this tree
        pass
    return found


def plan(db, sql, params):
    """The database's plan for one statement, as text lines."""
    if isinstance(db.obj, PostgresqlDatabase):
        return [row[0] for row in db.execute_sql("EXPLAIN " + sql, params).fetchall()]
    return [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    app = seeding.bench_app(args.database_url)
    from rpp.extensions import db
    from rpp.models import Account
    logger = logging.getLogger("peewee")
    logger.setLevel(logging.DEBUG)
    with app.test_request_context(), db.connection_context():
        accounts = Account.select().count()
        print(f"{type(db.obj).__name__}, {accounts:,} accounts\n")
        for label, lookup in lookups(accounts):
            handler = Captured()
            logger.addHandler(handler)
            try:
                lookup()
            finally:
                logger.removeHandler(handler)
            print(f"## {label}\n")
            for sql, params in handler.queries:
                if sql.split()[0] in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
                    continue
                print(f"    {sql}")
                for line in plan(db, sql, params):
                    print(f"      → {line}")
            print()


if __name__ == "__main__":
    main()
