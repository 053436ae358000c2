"""Load benchmark: the portal under gunicorn (2 workers) against two references, loopback only.

    python -m bench.run --accounts 1000                                   # SQLite in a temp dir
    python -m bench.run --accounts 100000 --database-url postgresql://…   # an empty database

Seeds the database (bench.seed) unless it already holds accounts, then, one server at a time,
drives each scenario with --threads client threads for --duration seconds (after a one-second
warm-up), --rounds times, and reports each scenario's best round: requests/s, p50 and p99
latency, the server's CPU time per operation, errors (of all rounds) and the largest response,
with requests/s and CPU also as ratios to reference (b). Results go to stdout (markdown) and --json.
"""
import argparse
import http.client
import importlib.metadata
import json
import os
import pathlib
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from urllib.parse import urlencode

from . import seed as seeding

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = re.compile(rb'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')
COOKIE = "rpp_session"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid):
    """User + system CPU seconds of a process and its children (gunicorn's master and workers)."""
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            pids += [int(child) for child in children.read().split()]
    except OSError:
        pass
    total = 0
    for each in pids:
        try:
            with open(f"/proc/{each}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, port, process):
        self.port, self.process = port, process

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)


@contextmanager
def gunicorn(app_spec, env, workers=2, options=()):
    """gunicorn -w N on a free loopback port, ready when GET / answers; stopped on exit. Everything
    else comes from gunicorn.conf.py (the production settings), read from ROOT, or `options`."""
    for _ in range(3):  # the free port can be taken meanwhile (by a client connection's own port, say)
        server, port = start_gunicorn(app_spec, env, workers, options)
        if server is not None:
            break
    else:
        raise RuntimeError(f"{app_spec} did not start")
    try:
        yield Server(port, server)
    finally:
        server.terminate()
        server.wait(timeout=30)


def start_gunicorn(app_spec, env, workers, options):
    """(the server process, its port) once GET / answers, or (None, port) if it exited or never answered."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", *options, app_spec]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while server.poll() is None and time.monotonic() < deadline:
        try:
            if request(port, "GET", "/")[0] < 500:
                return server, port
        except (OSError, http.client.HTTPException):  # not up yet, or another program took the port
            pass
        time.sleep(0.1)
    server.terminate()
    server.wait(timeout=30)
    return None, port


def server_env(url, **settings):
    """The environment a benchmarked server starts in: this one without its FLASK_* settings, then
    production settings on the database under test, no e-mail leaving the machine, and `settings`."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("FLASK_")},
            "FLASK_DATABASE_URL": url, "FLASK_SECRET_KEY": "bench", "FLASK_TWO_STEP_KEY": "bench",
            "FLASK_MAIL_BACKEND": "locmem", **settings}


def request(port, method, path, form=None, headers=None, cookie=None, source="127.0.0.1"):
    """One request on a new connection from the loopback address `source`: (status, headers, body, cookie)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    headers = dict(headers or {})
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for value in response.msg.get_all("Set-Cookie") or []:
            if value.startswith(COOKIE + "="):
                cookie = value.split(";", 1)[0].split("=", 1)[1]
        return response.status, response.msg, data, cookie
    finally:
        connection.close()


def csrf_token(body):
    match = TOKEN.search(body)
    return (match.group(1) or match.group(2)).decode()


class Browser:
    """One client thread's cookie and CSRF token."""

    def __init__(self, port, path="/"):
        self.port = port
        _status, _, body, self.cookie = request(port, "GET", path)
        self.token = csrf_token(body)

    def post(self, path, form, headers=None, keep_cookie=True):
        """POST with the CSRF token; keep_cookie=False keeps the pre-login cookie for the next login."""
        status, response_headers, body, cookie = request(
            self.port, "POST", path, {"csrf_token": self.token, **form}, headers, self.cookie)
        if keep_cookie:
            self.cookie = cookie
        return status, response_headers, body


# Scenarios: setup(port) gives one thread's state; run(state) does one operation → (ok, bytes).

def get_page(path="/", status=200):
    return (lambda port: port,
            lambda port: (lambda r: (r[0] == status, len(r[2])))(request(port, "GET", path)))


def field_validation(accounts):
    def run(browser):
        name = seeding.user_name(random.randrange(accounts)) if random.random() < 0.5 else \
            f"newname{random.randrange(10**9)}"
        status, _, body = browser.post("/register/validate", {"user_name": name},
                                       {"HX-Request": "true", "HX-Trigger-Name": "user_name"})
        return status == 200, len(body)
    return lambda port: Browser(port, "/register"), run


def failed_login(accounts):
    def run(browser):
        name = seeding.user_name(random.randrange(1, accounts, 2))  # odd: never the successful ones
        status, _, body = browser.post("/login", {"user_name": name, "password": "wrong99"})
        return status == 200 and (b"does not match" in body or b"temporarily locked" in body), len(body)
    return Browser, run


def successful_login(accounts):
    def run(browser):
        name = seeding.user_name(random.randrange(0, accounts, 2))
        status, _headers, body = browser.post("/login", {"user_name": name, "password": seeding.PASSWORD},
                                             keep_cookie=False)
        return status == 303, len(body)
    return Browser, run


def signed_in_home(accounts):
    def setup(port):
        browser = Browser(port)
        name = seeding.user_name(random.randrange(0, accounts, 2))
        assert browser.post("/login", {"user_name": name, "password": seeding.PASSWORD})[0] == 303
        return browser

    def run(browser):
        status, _, body, _ = request(browser.port, "GET", "/home", cookie=browser.cookie)
        return status == 200 and b"Logout" in body, len(body)
    return setup, run


def registration(spare_ids):
    """Continue then Submit Registration, each time a new user name and a new rostered Agent ID."""
    lock = threading.Lock()

    def run(browser):
        with lock:
            agent_id = next(spare_ids)
        user_name = f"bench{agent_id}"
        form = {"first_name": "Bench", "last_name": "Producer", "user_name": user_name,
                "password": seeding.PASSWORD, "confirm_password": seeding.PASSWORD,
                "TX-register": "y", "TX-company_name": "Bench Agency", "TX-address_1": "1 Main St",
                "TX-address_2": "", "TX-city": "Austin", "TX-address_state": "TX", "TX-zip_code": "73301",
                "TX-agent_id": agent_id, "TX-phone": "(512) 555-0100", "TX-email": f"{user_name}@example.com"}
        status, headers, body = browser.post("/register", form)
        if status != 303 or not headers.get("Location", "").endswith("/register/confirm"):
            return False, len(body)
        status, headers, body = browser.post("/register/submit", {})
        return status == 303 and headers.get("Location", "").endswith("/register/submitted"), len(body)
    return lambda port: Browser(port, "/register"), run


def measure(server, scenario, threads, duration, warmup=1.0):
    """Drive one scenario; latencies of operations that start after the warm-up, server CPU meanwhile."""
    setup, run = scenario
    port = server.port
    latencies, errors, sizes = [], [], []
    window = {}
    lock = threading.Lock()

    timers = []

    def open_window():
        window["start"] = time.perf_counter() + warmup
        window["stop"] = window["start"] + duration
        timers.extend([threading.Timer(warmup, lambda: window.update(cpu_start=server.cpu_seconds())),
                       threading.Timer(warmup + duration, lambda: window.update(cpu_stop=server.cpu_seconds()))])
        for timer in timers:
            timer.start()

    ready = threading.Barrier(threads, action=open_window)  # every client set up (logins take a while)

    def client():
        state = setup(port)
        ready.wait()
        start, stop = window["start"], window["stop"]
        mine, my_errors, my_size = [], [], 0
        while True:
            began = time.perf_counter()
            if began >= stop:
                break
            try:
                ok, size = run(state)
            except Exception as error:  # counted as an error, the load goes on
                ok, size = False, 0
                my_errors.append(repr(error))
            ended = time.perf_counter()
            if began >= start:
                mine.append(ended - began)
                my_size = max(my_size, size)
                if not ok:
                    my_errors.append("unexpected response")
        with lock:
            latencies.extend(mine)
            errors.extend(my_errors)
            sizes.append(my_size)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for timer in timers:  # the CPU readings at both ends of the window (a busy machine can delay them)
        timer.join()
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else None

    return {"operations": len(latencies), "per_second": len(latencies) / duration,
            "p50_ms": percentile(0.50), "p99_ms": percentile(0.99), "errors": len(errors),
            "server_cpu_ms": (window["cpu_stop"] - window["cpu_start"]) * 1000 / max(1, len(latencies)),
            "error_examples": sorted(set(errors))[:3], "max_bytes": max(sizes, default=0)}


def hash_cost(method, rounds=5):
    """CPU milliseconds per password check at the configured cost, in this process."""
    from rpp.passwords import Hashing
    hashing = Hashing(method, 1)
    stored = hashing.hash("Bq7x2Lm9")
    began = time.process_time()
    for _ in range(rounds):
        hashing.verify(stored, "Bq7x2Lm9")
    return (time.process_time() - began) / rounds * 1000


def machine():
    """nproc, memory and CPU model, and the versions that matter."""
    cpu = next((line.split(":", 1)[1].strip() for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in pathlib.Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    import gunicorn
    import peewee
    return {"nproc": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "flask": importlib.metadata.version("flask"),
            "gunicorn": gunicorn.__version__, "peewee": peewee.__version__,
            "kernel": platform.release()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp dir")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per scenario")
    parser.add_argument("--rounds", type=int, default=3, help="run every scenario this many times; keep the best")
    parser.add_argument("--only", help="comma-separated scenario keys to run")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="rpp-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    app = seeding.bench_app(url)
    seeded = seeding.seed(app, args.accounts, spare_roster=20000)
    from peewee import fn

    from rpp.extensions import db
    from rpp.models import Account, StateRegistration
    with app.app_context(), db.connection_context():
        accounts = Account.select().where(Account.user_name_key.startswith("producer")).count()
        used = StateRegistration.select(fn.MAX(StateRegistration.agent_id)).where(
            StateRegistration.agent_id >= str(seeding.SPARE_AGENT_ID)).scalar()
    page_bytes = len(app.test_client().get("/").data)
    spare_ids = iter(str(n) for n in range(int(used or seeding.SPARE_AGENT_ID - 1) + 1,
                                           seeding.SPARE_AGENT_ID + 20000))
    # Production settings (no debug), the database under test, no e-mail leaving the machine.
    # Every client comes from 127.0.0.1, so the per-address limits are off, and the cap on password
    # checks at once is above the client count: these scenarios measure what an operation costs;
    # `python -m bench.flood` measures the limits and the cap.
    env = server_env(url, FLASK_RATELIMIT_ENABLED="false", FLASK_PASSWORD_CHECKS_AT_ONCE="8",
                     BENCH_PAGE_BYTES=str(page_bytes))

    scenarios = [
        ("bare", "(a) bare Flask, tiny page", "bench.reference:bare_app()", get_page(), args.threads),
        ("form", "(b) Flask + Flask-WTF sign-in form", "bench.reference:form_app()", get_page(), args.threads),
        ("sign_in", "Sign-in page GET /", "rpp:create_app()", get_page(), args.threads),
        ("validate", "Field validation POST /register/validate", "rpp:create_app()",
         field_validation(accounts), args.threads),
        ("home", "Signed-in page GET /home", "rpp:create_app()", signed_in_home(accounts), args.threads),
        ("failed_login", "Failed login POST /login", "rpp:create_app()", failed_login(accounts), args.threads),
        ("login", "Successful login POST /login", "rpp:create_app()", successful_login(accounts), args.threads),
        ("login_1", "Successful login, one client", "rpp:create_app()", successful_login(accounts), 1),
        ("register", "Registration Continue + Submit", "rpp:create_app()", registration(spare_ids), args.threads),
    ]
    if args.only:
        keys = set(args.only.split(","))
        scenarios = [s for s in scenarios if s[0] in keys or s[0] in ("form",)]

    results = {"database": "postgresql" if url.startswith("postgres") else "sqlite", "accounts": accounts,
               "seed_seconds": seeded, "threads": args.threads, "duration": args.duration, "rounds": args.rounds,
               "workers": 2, "page_bytes": page_bytes, "machine": machine(),
               "password_hash_method": app.config["PASSWORD_HASH_METHOD"],
               "hash_check_ms": hash_cost(app.config["PASSWORD_HASH_METHOD"]), "scenarios": {}}
    rounds = run_rounds(scenarios, env, args.rounds, args.duration)
    keep_best(rounds, results)
    print(table(results))
    print("\nMedian of each round's ratio to (b) in the same round (requests per second, CPU per request):")
    for result in results["scenarios"].values():
        print(f"  {result['label']:<45} {statistics.median(result['rounds_ratio_to_b']):.2f}  "
              f"{statistics.median(result['rounds_cpu_ratio_to_b']):.2f}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)


def run_rounds(scenarios, env, round_count, duration):
    """Every scenario, `round_count` times, one server at a time: {key: [each round's result]}."""
    rounds = {key: [] for key, *_ in scenarios}
    for round_number in range(1, round_count + 1):
        current = None
        with ExitStack() as servers:  # one server at a time
            for key, label, spec, scenario, threads in scenarios:
                if spec != current:
                    servers.close()
                    server = servers.enter_context(gunicorn(spec, env))
                    current = spec
                result = measure(server, scenario, threads, duration)
                result["label"] = label
                rounds[key].append(result)
                print(f"round {round_number} {label:<45} {result['per_second']:8.1f}/s "
                      f"p50 {result['p50_ms']:7.2f} ms "
                      f"p99 {result['p99_ms']:7.2f} ms CPU {result['server_cpu_ms']:6.2f} ms "
                      f"errors {result['errors']} max {result['max_bytes']} B",
                      file=sys.stderr, flush=True)
    return rounds


def keep_best(rounds, results):
    """Other processes on the machine only ever slow a round down: keep each scenario's best round (its own
    p50, p99 and CPU), every round's rate and errors for the record, and each one's ratios to (b)."""
    for key, measured in rounds.items():
        best = dict(max(measured, key=lambda r: r["per_second"]))
        best["rounds_per_second"] = [r["per_second"] for r in measured]
        best["rounds_server_cpu_ms"] = [r["server_cpu_ms"] for r in measured]
        best["errors"] = sum(r["errors"] for r in measured)
        best["max_bytes"] = max(r["max_bytes"] for r in measured)
        results["scenarios"][key] = best
    reference = results["scenarios"]["form"]
    for key, result in results["scenarios"].items():
        result["ratio_to_b"] = result["per_second"] / reference["per_second"]
        result["cpu_ratio_to_b"] = reference["server_cpu_ms"] / result["server_cpu_ms"]
        # Each round against (b) in the same round, served just before it: what a busy machine
        # changes between rounds cancels out, so the median of these is the steadiest ratio.
        pairs = list(zip(rounds["form"], rounds[key], strict=False))
        result["rounds_ratio_to_b"] = [mine["per_second"] / b["per_second"] for b, mine in pairs]
        result["rounds_cpu_ratio_to_b"] = [b["server_cpu_ms"] / mine["server_cpu_ms"] for b, mine in pairs]


def table(results):
    """The results as a markdown table."""
    lines = [f"{results['database']}, {results['accounts']:,} accounts, {results['threads']} client threads, "
             f"{results['duration']:g} s per scenario, best of {results['rounds']} rounds, "
             f"gunicorn -w {results['workers']}",
             "", "| Scenario | req/s | × (b) | p50 ms | p99 ms | server CPU ms/op | × (b) by CPU | errors "
             "| max bytes |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for result in results["scenarios"].values():
        lines.append(f"| {result['label']} | {result['per_second']:.1f} | {result['ratio_to_b']:.2f} | "
                     f"{result['p50_ms']:.2f} | {result['p99_ms']:.2f} | {result['server_cpu_ms']:.2f} | "
                     f"{result['cpu_ratio_to_b']:.2f} | {result['errors']} | {result['max_bytes']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
