"""Health for load balancers and monitors: /healthz (the process answers) and /readyz (it can serve:
the database answers, its schema is the code's, the rate-limit store answers when it is a server —
or, failing that, the limits fall back to each process's memory).

Both are cheap GETs: no rate limit, no session (so no cookie), no CSRF. /healthz never touches the
database; /readyz asks it `SELECT 1` and the schema version, and answers 200 or 503 with a short
JSON body naming each check and what failed.
"""
from flask import Blueprint, current_app, jsonify

from .extensions import db, limiter
from .migrations import LATEST, current_version

bp = Blueprint("health", __name__)
ENDPOINTS = {"health.live", "health.ready"}


@bp.get("/healthz")
def live():
    """Liveness: the process answers. Never touches the database."""
    return jsonify(status="ok")


def check_database():
    """None when the database answers and its schema is at the code's version, else what is wrong."""
    try:
        with db.connection_context():
            db.execute_sql("SELECT 1")
            current_app.extensions.get("rpp_schema_when_reachable", lambda: None)()  # a start without the database
            version = current_version()
    except Exception as error:  # any failure to reach or read the database is "not ready"
        return f"{type(error).__name__}: {' '.join(str(error).split())}"[:200]
    if version != LATEST:
        return f"schema at version {version}, the code needs {LATEST}"
    return None


def check_rate_limit_store():
    """None when the rate-limit store answers (or counts in this process's memory), else what is wrong."""
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return None
    try:
        answered = limiter.storage.check()
    except Exception as error:  # the client may raise rather than answer False
        return f"{type(error).__name__}: {error}"[:200]
    return None if answered else "not answering"


@bp.get("/readyz")
def ready():
    """Readiness: 200 when every check passes, else 503; the body names each check's result.

    A rate-limit store that does not answer while RATELIMIT_IN_MEMORY_FALLBACK_ENABLED is on leaves the
    host ready ("degraded": limits count per process), or a Redis outage would take every host out."""
    problems = {"database": check_database(), "rate_limit_store": check_rate_limit_store()}
    checks = {name: problem or "ok" for name, problem in problems.items()}
    if problems["database"] or (problems["rate_limit_store"]
                                and not current_app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"]):
        status, code = "failing", 503
    else:
        status, code = ("degraded" if problems["rate_limit_store"] else "ok"), 200
    response = jsonify(status=status, checks=checks)
    response.status_code = code
    return response
