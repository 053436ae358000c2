"""Sign-in flood: do cheap pages stay fast while many clients send sign-ins as fast as they can?

    python -m bench.flood                       # 16 flooders, each from its own address, 20 s
    python -m bench.flood --rotate              # every sign-in from a new address (limits never bite)
    python -m bench.flood --before              # the settings before issue 12 (see BEFORE)

Serves the portal with `gunicorn app:app` as in production (gunicorn.conf.py; -w 2 on this
2-CPU machine) on a seeded SQLite database. --flooders threads in a separate process, each
bound to its own loopback source address (127.0.0.11, 127.0.0.12, …; Linux routes all of
127/8 to the loopback), POST /login with unknown user names; with --rotate each sign-in comes
from a new address in 127.1/16, so only the cap on password checks at once protects the CPUs.
Meanwhile --readers threads in this process, from 127.0.0.1, GET / and /contact-us in turn on
new connections; reported: their p50, p95, p99 and max latency, and what the flooders got.
"""
import argparse
import collections
import itertools
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import uuid

from . import seed as seeding
from .run import Browser, gunicorn, request, server_env

# Before issue 12: scrypt N=2^15, sync workers, no per-address limits, no cap on checks at once.
BEFORE = ({"FLASK_PASSWORD_HASH_METHOD": "scrypt:32768:8:1", "FLASK_RATELIMIT_ENABLED": "false",
           "FLASK_PASSWORD_CHECKS_AT_ONCE": "1000"}, ["--worker-class", "sync"])
TARGET_P95_MS, TARGET_P99_MS = 150, 300


def flood(port, flooders, duration, rotate, results):
    """The flooders, in their own process so their Python never delays the readers' clocks."""
    addresses = (f"127.1.{n // 250}.{n % 250 + 1}" for n in itertools.count()) if rotate else None
    lock = threading.Lock()
    statuses = collections.Counter()
    stop = time.monotonic() + duration

    def flooder(number):
        own = f"127.0.0.{11 + number}"
        browser = Browser(port)  # a cookie and CSRF token; from 127.0.0.1, like a first visit
        mine = collections.Counter()
        while time.monotonic() < stop:
            with lock:
                source = next(addresses) if rotate else own
            try:
                status = request(port, "POST", "/login", {"csrf_token": browser.token,
                                                          "user_name": f"nobody{uuid.uuid4().hex[:8]}",
                                                          "password": "wrong99"},
                                 cookie=browser.cookie, source=source)[0]
            except OSError as error:
                status = type(error).__name__
            mine[status] += 1
        with lock:
            statuses.update(mine)

    threads = [threading.Thread(target=flooder, args=(n,)) for n in range(flooders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put({str(status): count for status, count in statuses.items()})


def read_pages(port, readers, duration):
    """Latencies (ms) of GET / and GET /contact-us, in turn, from `readers` threads."""
    latencies, errors = [], collections.Counter()
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def reader():
        mine = []
        for path in itertools.cycle(["/", "/contact-us"]):
            began = time.perf_counter()
            if time.monotonic() >= stop:
                break
            status = request(port, "GET", path)[0]
            mine.append((time.perf_counter() - began) * 1000)
            if status != 200:
                with lock:
                    errors[status] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {"pages": len(latencies), "per_second": round(len(latencies) / duration, 1),
            "p50_ms": percentile(0.50), "p95_ms": percentile(0.95), "p99_ms": percentile(0.99),
            "max_ms": round(latencies[-1], 1), "errors": dict(errors)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flooders", type=int, default=16)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of flood")
    parser.add_argument("--rotate", action="store_true", help="every sign-in from a new address")
    parser.add_argument("--before", action="store_true", help="the settings before issue 12")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="rpp-flood-")
    url = f"sqlite:///{workdir}/flood.sqlite3"
    seeding.seed(seeding.bench_app(url), 1000, spare_roster=0)
    settings, options = BEFORE if args.before else ({}, [])
    env = server_env(url, **settings)
    with gunicorn("app:app", env, options=options) as server:
        quiet = read_pages(server.port, args.readers, 3)
        results = multiprocessing.Queue()
        flooding = multiprocessing.Process(target=flood, args=(server.port, args.flooders, args.duration,
                                                               args.rotate, results))
        cpu_before = server.cpu_seconds()
        flooding.start()
        time.sleep(1)  # the flood under way
        loaded = read_pages(server.port, args.readers, args.duration - 2)
        statuses = results.get()
        flooding.join()
        cpu = server.cpu_seconds() - cpu_before
    sign_ins = sum(statuses.values())
    summary = {"flooders": args.flooders, "rotate": args.rotate, "before": args.before,
               "duration": args.duration, "load_average": os.getloadavg(), "quiet": quiet, "flooded": loaded,
               "sign_ins": sign_ins, "sign_ins_per_second": round(sign_ins / args.duration, 1),
               "sign_in_statuses": statuses, "server_cpu_seconds": round(cpu, 1),
               "met": loaded["p95_ms"] <= TARGET_P95_MS and loaded["p99_ms"] <= TARGET_P99_MS}
    print(json.dumps(summary, indent=2))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(summary, out, indent=2)
    sys.exit(0 if summary["met"] else 1)


if __name__ == "__main__":
    main()
