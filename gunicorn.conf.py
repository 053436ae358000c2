"""gunicorn's production settings for the portal. gunicorn reads this file by itself from the
directory it starts in, so `gunicorn app:app` is the whole production command; options on the
command line or in GUNICORN_CMD_ARGS override any of these.

Threaded workers rather than sync ones: a sign-in spends almost all of its time in Argon2id,
which argon2-cffi runs without holding Python's GIL, so while a thread hashes, the worker's other
threads keep answering cheap pages. PASSWORD_CHECKS_AT_ONCE (a portal setting, per worker)
bounds the hashes running at once; past it a sign-in gets "try again in a moment" at once.
The figures behind these numbers are in docs/PERFORMANCE.md (bench/flood.py).
"""
import os

bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]  # behind the TLS-terminating proxy
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))  # one per CPU
worker_class = "gthread"
threads = 8  # requests one worker serves at once; DATABASE_POOL_SIZE (32) covers them
keepalive = 5  # seconds an idle connection from the proxy stays open
timeout = 30  # a worker silent this long is restarted
graceful_timeout = 30  # on SIGTERM, requests in hand get this long to finish
