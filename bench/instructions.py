"""Instructions per request under gunicorn, counted by valgrind's callgrind: a figure a busy machine
cannot move, unlike time. Each server runs as in production (gunicorn.conf.py) with one worker and one
thread, once serving N requests and once serving none; the worker's difference divided by N is what
one request costs, gunicorn's own work included.

    python -m bench.instructions                    # (b) and the sign-in page, 300 requests each
    python -m bench.instructions --tree /tmp/old    # the same for another checkout (before/after)

Needs Debian's valgrind. Takes about a minute (every request runs some 50 times slower).
"""
import argparse
import concurrent.futures
import glob
import shutil
import subprocess
import sys
import tempfile
import time

from . import seed as seeding
from .run import ROOT, free_port, request, server_env

SCENARIOS = {"(b) Flask + Flask-WTF sign-in form": "bench.reference:form_app()",
             "Sign-in page GET /": "rpp:create_app()"}


def worker_instructions(tree, spec, env, requests):
    """Instructions the gunicorn worker ran, from start to stop, having served `requests` GET / (after 20)."""
    out = tempfile.mkdtemp(prefix="rpp-callgrind-")
    port = free_port()
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.%p", "--trace-children=yes",
               sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "1", "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "--timeout", "600", spec]
    server = subprocess.Popen(command, cwd=tree, env=env, stderr=subprocess.DEVNULL)
    try:
        ready(port, server)
        for _ in range(20 + requests):
            status = request(port, "GET", "/")[0]
            assert status == 200, status
    finally:
        server.terminate()
        server.wait(timeout=600)
    counts = []
    for path in glob.glob(f"{out}/callgrind.*"):
        with open(path) as profile:
            counts += [int(line.split()[1]) for line in profile if line.startswith(("summary:", "totals:"))][:1]
    shutil.rmtree(out)
    return max(counts)  # the worker (the arbiter does little; the app lives in the worker)


def ready(port, server):
    """Wait until the server answers (under valgrind, start-up takes a while)."""
    for _ in range(6000):
        try:
            request(port, "GET", "/")
            return
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("gunicorn did not start under valgrind") from None
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer under valgrind")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--tree", default=ROOT, help="the checkout to serve the portal from (default: this one)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="rpp-bench-")
    url = f"sqlite:///{workdir}/bench.sqlite3"
    seeding.seed(seeding.bench_app(url), 1000, spare_roster=0)
    page_bytes = len(seeding.bench_app(url).test_client().get("/").data)
    env = server_env(url, FLASK_RATELIMIT_ENABLED="false", BENCH_PAGE_BYTES=str(page_bytes), PYTHONHASHSEED="0")
    runs = [(label, spec, n) for label, spec in SCENARIOS.items() for n in (0, args.requests)]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(lambda run: worker_instructions(args.tree, run[1], env, run[2]), runs))
    per_request = {label: (counts[2 * i + 1] - counts[2 * i]) / args.requests for i, label in enumerate(SCENARIOS)}
    reference = per_request["(b) Flask + Flask-WTF sign-in form"]
    for label, instructions in per_request.items():
        print(f"{label:<40} {instructions / 1e6:6.3f} M instructions per request, "
              f"{reference / instructions:5.3f} x reference (b)")
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
