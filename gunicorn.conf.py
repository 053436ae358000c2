"""gunicorn's production settings for the portal. gunicorn reads this file by itself from the
directory it starts in, so `gunicorn app:app` is the whole production command; options on the
command line or in GUNICORN_CMD_ARGS override any of these.

Behind one reverse proxy on the same host (TRUSTED_PROXIES=1): the port listens on loopback only, so
no client can reach it directly and forge X-Forwarded-For. BIND changes the address (e.g.
BIND=10.0.0.5:8000 for a load balancer on another host, with TRUSTED_PROXIES set to match).

Threaded workers rather than sync ones: a sign-in spends almost all of its time in Argon2id,
which argon2-cffi runs without holding Python's GIL, so while a thread hashes, the worker's other
threads keep answering cheap pages. PASSWORD_CHECKS_AT_ONCE (a portal setting, per worker)
bounds the hashes running at once; past it a sign-in gets "try again in a moment" at once.
The figures behind these numbers are in docs/PERFORMANCE.md (bench/flood.py).
"""
import os
import shutil
import tempfile

bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]  # the proxy in front connects here
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))  # one per CPU
worker_class = "gthread"
threads = 8  # requests one worker serves at once; DATABASE_POOL_SIZE (32) covers them
keepalive = 5  # seconds an idle connection from the proxy stays open
timeout = 30  # a worker silent this long is restarted
# On SIGTERM, requests in hand get this long to finish: above the slowest request (a sign-in waiting
# DATABASE_POOL timeout 10 s for a connection, then hashing; a roster upload of 10 MB).
graceful_timeout = 40
control_socket_disable = True  # gunicorn ≥ 23's control socket: unused, and $HOME is read-only under systemd
# One access-log line per request on standard output: the request id (rpp/logs.py, also in the
# portal's own log lines) and the time taken in milliseconds.
accesslog = os.environ.get("ACCESS_LOG", "-")
access_log_format = ('%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s '
                     '"%(a)s"')

# Metrics (rpp/metrics.py): each worker writes its counts to files in PROMETHEUS_MULTIPROC_DIR and
# /metrics adds up every worker's (prometheus_client's multiprocess mode). Without one set, a folder of
# this server's own is made here, emptied at start and removed at exit.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="rpp-metrics-")
    _made_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]
else:
    _made_metrics_dir = None


def on_starting(server):
    """Counts from an earlier run of the server are not this run's."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """A worker that exits (restarted, killed): its counts stay in the totals; its live gauges go."""
    # Imported only now that the folder above is set: prometheus_client picks its mode when first imported.
    from prometheus_client import multiprocess  # noqa: PLC0415
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _made_metrics_dir:
        shutil.rmtree(_made_metrics_dir, ignore_errors=True)
