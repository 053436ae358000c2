"""Seed a benchmark database in bulk: N active producer accounts and spare roster IDs for registrations.

    python -m bench.seed --database-url sqlite:////tmp/bench.sqlite3 --accounts 100000

Account i is user name producer<i> (zero-padded to 6 digits), password PASSWORD, active in Texas
with Agent Unique ID 100000000 + i, with one security event and one expired login session.
Spare roster IDs 500000000 + j (Texas) are on the roster but not registered, for the
registration benchmark. Every account shares one password hash computed at the configured cost
(hashing 100,000 times would only measure the hash).
"""
import argparse
import secrets
import time
from datetime import timedelta

from peewee import PostgresqlDatabase

from rpp import clock, passwords
from rpp.devtools.portal import upgraded_portal
from rpp.extensions import db
from rpp.models import Account, LoginSession, RosterEntry, SecurityEvent, StateRegistration

PASSWORD = "Bq7x2Lm9"
BATCH = 2000
ACCOUNT_AGENT_ID = 100_000_000
SPARE_AGENT_ID = 500_000_000


def user_name(i):
    return f"producer{i:06d}"


def bench_app(database_url, **config):
    """The portal app on that database (its schema upgraded first), with production hashing cost and no debug."""
    return upgraded_portal({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "TWO_STEP_KEY": "bench",
                       "MAIL_BACKEND": "locmem", **config})


def insert(model, rows):
    """Bulk INSERT inside the caller's transaction, model defaults filled in (peewee's own
    insert_many spends its time building SQL; this is the same SQL, built once)."""
    fields = [f for f in model._meta.sorted_fields if not (f.primary_key and f.name == "id")]
    defaults = {f.name: f.default() if callable(f.default) else f.default for f in fields}
    values = [tuple(f.db_value(row.get(f.name, defaults[f.name])) for f in fields) for row in rows]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
    if isinstance(db.obj, PostgresqlDatabase):
        from psycopg2.extras import execute_values
        execute_values(db.cursor(), sql + "%s", values, page_size=BATCH)
    else:
        db.cursor().executemany(sql + "(" + ", ".join("?" * len(fields)) + ")", values)


def seed(app, accounts, spare_roster):
    """Write the accounts, their active Texas registrations, one event each and the spare roster."""
    started = time.perf_counter()
    with app.app_context(), db.connection_context():
        if Account.select().count():
            return None
        password_hash = passwords.hash_password(PASSWORD)
        with db.atomic():
            insert(RosterEntry, [{"state": "TX", "agent_id": str(ACCOUNT_AGENT_ID + i), "first_name": "Bench",
                                  "last_name": "Producer"} for i in range(accounts)]
                   + [{"state": "TX", "agent_id": str(SPARE_AGENT_ID + j)} for j in range(spare_roster)])
            insert(Account, [{"user_name": user_name(i), "user_name_key": user_name(i), "first_name": "Bench",
                              "last_name": "Producer", "password_hash": password_hash}
                             for i in range(accounts)])
            ids = [a.id for a in Account.select(Account.id).order_by(Account.id)]
            insert(StateRegistration, [
                {"account": account_id, "state": "TX", "agent_id": str(ACCOUNT_AGENT_ID + i),
                 "company_name": "Bench Agency", "address_1": "1 Main St", "city": "Austin",
                 "address_state": "TX", "zip_code": "73301", "phone": "5125550100",
                 "email": f"{user_name(i)}@example.com", "status": "active"}
                for i, account_id in enumerate(ids)])
            insert(SecurityEvent, [{"account": account_id, "kind": "registration submitted", "detail": "TX"}
                                   for account_id in ids])
            # Yesterday's sessions: nothing purges them, so the table grows with the accounts.
            yesterday = clock.utcnow() - timedelta(days=1)
            insert(LoginSession, [{"token": secrets.token_urlsafe(32), "account": account_id,
                                   "created_at": yesterday - timedelta(hours=12), "expires_at": yesterday}
                                  for account_id in ids])
        if isinstance(db.obj, PostgresqlDatabase):
            db.execute_sql("ANALYZE")  # what autovacuum does shortly after a bulk load
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--spare-roster", type=int, default=20000)
    args = parser.parse_args()
    seconds = seed(bench_app(args.database_url), args.accounts, args.spare_roster)
    if seconds is None:
        print("Already seeded: nothing written.")
    else:
        print(f"Seeded {args.accounts} accounts and {args.spare_roster} spare roster IDs in {seconds:.1f} s.")


if __name__ == "__main__":
    main()
