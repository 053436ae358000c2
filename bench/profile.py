"""In-process CPU cost per request, and where it goes: the tool behind the before/after figures.

    python -m bench.profile --database-url sqlite:////tmp/bench.sqlite3            # CPU ms per request
    python -m bench.profile --database-url … --profile sign_in                     # pyinstrument tree

CPU time (not wall time) through the Flask test client, so a busy machine changes it little;
it leaves out gunicorn and the network, which cost every app the same.
"""
import argparse
import os
import re
import time

from . import seed as seeding
from .reference import bare_app, form_app

TOKEN = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')


def scenarios(app, accounts):
    """name → a function doing one request, each with its own client state like a browser."""
    os.environ["BENCH_PAGE_BYTES"] = str(len(app.test_client().get("/").data))  # (b) as large as the sign-in page
    reference_a, reference_b = bare_app(), form_app()
    validating = app.test_client()
    token = TOKEN.search(validating.get("/register").data).group(1).decode()
    signed_in = app.test_client()
    login_token = TOKEN.search(signed_in.get("/").data).group(1).decode()
    signed_in.post("/login", data={"csrf_token": login_token, "user_name": seeding.user_name(0),
                                   "password": seeding.PASSWORD})
    counter = iter(range(10**9))

    def validate():
        i = next(counter)
        name = seeding.user_name(i % accounts) if i % 2 else f"newname{i}"
        return validating.post("/register/validate", data={"csrf_token": token, "user_name": name},
                               headers={"HX-Request": "true", "HX-Trigger-Name": "user_name"})

    return {
        # First visits, as in bench.run: no cookie, so the form page and the sign-in page both start a session.
        "bare": lambda: reference_a.test_client().get("/"),
        "form": lambda: reference_b.test_client().get("/"),
        "sign_in": lambda: app.test_client().get("/"),
        "validate": validate,
        "home": lambda: signed_in.get("/home"),
    }


def cpu_ms(request, rounds, repeats=5):
    """CPU milliseconds per call after a warm-up: the best of `repeats` runs (the least disturbed)."""
    for _ in range(20):
        request()
    best = float("inf")
    for _ in range(repeats):
        began = time.process_time()
        for _ in range(rounds):
            request()
        best = min(best, (time.process_time() - began) / rounds * 1000)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a database seeded by bench.seed")
    parser.add_argument("--rounds", type=int, default=300, help="requests per run (best of 5 runs)")
    parser.add_argument("--profile", help="print a pyinstrument profile of this scenario")
    args = parser.parse_args()
    app = seeding.bench_app(args.database_url)
    from rpp.extensions import db
    from rpp.models import Account
    with app.app_context(), db.connection_context():
        accounts = Account.select().count()
    requests = scenarios(app, accounts)
    if args.profile:
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(args.rounds):
                requests[args.profile]()
        print(profiler.output_text(unicode=False, color=False))
        return
    costs = {name: cpu_ms(request, args.rounds) for name, request in requests.items()}
    for name, cost in costs.items():
        print(f"{name:<10} {cost:6.3f} ms CPU per request, {cost / costs['form']:5.2f} x reference (b)")


if __name__ == "__main__":
    main()
