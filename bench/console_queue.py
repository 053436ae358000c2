"""The Producer Services console on a busy day: N pending registrations, one page of the queue timed.

    python -m bench.console_queue                       # SQLite in a temp dir, 5,000 pending
    python -m bench.console_queue --pending 20000 --database-url postgresql://…/empty_db

Seeds N pending state registrations (plus as many activated in the last 30 days, for the median),
signs a staff user in, then renders each view of the queue in-process with the Flask test client
(no network, no server) and prints the best and median of --rounds renderings, in milliseconds.
"""
import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta

from bench.seed import bench_app, insert
from rpp import clock
from rpp.devtools import authenticator_app
from rpp.extensions import db
from rpp.models import Account, RosterEntry, StateRegistration
from rpp.staff import staff_users as staff

STAFF_PASSWORD = "bench staff password"
STATES = ["IL", "MT", "NM", "OK", "TX"]
# What a clerk does on that day: the first page, a later page, overdue only, a search, one state.
VIEWS = {
    "first page": "/staff/",
    "page 40": "/staff/?page=40",
    "overdue only": "/staff/?overdue=1",
    "search": "/staff/?q=producer0042",
    "one state, newest first": "/staff/?state=TX&sort=newest",
}


def seed_queue(app, pending, activated=None):
    """N pending registrations spread over the last 5 days (and `activated` ones in the last 30)."""
    activated = pending if activated is None else activated
    generator = random.Random(5000)
    now = clock.utcnow()
    with app.app_context(), db.connection_context(), db.atomic():
        total = pending + activated
        insert(Account, [{"user_name": f"producer{i:06d}", "user_name_key": f"producer{i:06d}",
                          "first_name": "Bench", "last_name": f"Producer{i}", "password_hash": "x"}
                         for i in range(total)])
        ids = [a.id for a in Account.select(Account.id).order_by(Account.id)]
        rows, roster = [], []
        for i, account_id in enumerate(ids):
            state, agent_id = STATES[i % 5], str(100_000_000 + i)
            submitted = now - timedelta(minutes=generator.randrange(1, 60 * 24 * 5))
            done = i >= pending
            if done:
                submitted = now - timedelta(days=generator.randrange(1, 29), minutes=generator.randrange(0, 600))
            rows.append({"account": account_id, "state": state, "agent_id": agent_id, "address_1": "1 Main St",
                         "city": "Austin", "address_state": state, "zip_code": "73301", "phone": "5125550100",
                         "email": f"producer{i:06d}@example.com", "status": "active" if done else "pending",
                         "submitted_at": submitted,
                         "decided_at": submitted + timedelta(hours=generator.randrange(1, 30)) if done else None})
            roster.append({"state": state, "agent_id": agent_id, "first_name": "Bench", "last_name": f"Producer{i}"})
        insert(RosterEntry, roster)
        insert(StateRegistration, rows)
        authenticator_app.enrol(staff.create_staff_user("bench", STAFF_PASSWORD))


def signed_in_client(app):
    """A test client signed in to the console: password, then the Verification Code from bench's app."""
    client = app.test_client()
    response = client.post("/staff/login", data={"user_name": "bench", "password": STAFF_PASSWORD,
                                                 "csrf_token": csrf_token(client, "/staff/login")})
    assert response.status_code == 303, response.status_code
    verify = response.headers["Location"]
    with app.app_context():
        code = authenticator_app.next_code(staff.find_staff_user("bench"))
    response = client.post(verify, data={"code": code, "csrf_token": csrf_token(client, verify)})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/", response.status_code
    return client


def csrf_token(client, path):
    """The CSRF token of the form at `path` (each sign-in step starts a new session, with a new token)."""
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]


def time_views(app, rounds=7, views=VIEWS):
    """{view: (best wall ms, median wall ms, best CPU ms)} of rendering each view `rounds` times after a
    warm-up. SQLite runs in this process, so CPU time is the whole cost of a page, database included,
    and it holds when other processes crowd the machine (wall time does not)."""
    client = signed_in_client(app)
    figures = {}
    for name, path in views.items():
        assert client.get(path).status_code == 200
        wall, cpu = [], []
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200 and b"Showing" in response.data
        figures[name] = (min(wall), statistics.median(wall), min(cpu))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--pending", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/console.sqlite3"
    app = bench_app(url, PASSWORD_HASH_METHOD="scrypt:1024:8:1", SESSION_COOKIE_SECURE=False)
    seed_queue(app, args.pending)
    print(f"{args.pending:,} pending, {args.pending:,} activated in 30 days; {url.split('://')[0]}")
    print(f"{'view':<26} {'best ms':>8} {'median ms':>10} {'CPU ms':>8}")
    for name, (best, median, cpu) in time_views(app, args.rounds).items():
        print(f"{name:<26} {best:8.1f} {median:10.1f} {cpu:8.1f}")


if __name__ == "__main__":
    main()
