"""Logs that speak: logging set up at start-up, one request id per request.

LOG_LEVEL (INFO by default) and LOG_FORMAT (`text`, or `json`: one JSON object per line, by
python-json-logger) apply to every logger of the process: the portal's, the relay's, Flask-Limiter's.
Each request gets an id — the proxy's X-Request-Id when TRUSTED_PROXIES says a proxy is in front,
else a new one — sent back in the X-Request-Id header (which gunicorn's access log prints, see
gunicorn.conf.py) and carried in every log line written while the request is served.
"""
import logging
import re
import sys
import uuid

from flask import g, has_request_context, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "request_id", "message"]
JSON_NAMES = {"asctime": "time", "levelname": "level", "name": "logger"}
# A proxy's request id is used as it is only when it looks like one (no spaces, quotes or control characters).
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEADER = "X-Request-Id"


class RequestIdFilter(logging.Filter):
    """Every record gets `request_id`: the id of the request being served, or "-" outside one."""

    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class PortalHandler(logging.StreamHandler):
    """The portal's one handler on the root logger (standard error, which gunicorn and systemd keep)."""


def formatter(log_format):
    if log_format == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields=JSON_NAMES)
    if log_format != "text":
        raise RuntimeError(f"LOG_FORMAT must be text or json, not {log_format!r}.")
    return logging.Formatter(TEXT_FORMAT)


def configure(app):
    """Send every logger's records to standard error in LOG_FORMAT from LOG_LEVEL up (once per process;
    a second app changes the format and level). The test suite's portals leave logging to pytest."""
    app.logger.removeHandler(default_handler)  # records go up to the root logger's handler instead
    if app.testing:
        return
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, PortalHandler)), None)
    if handler is None:
        handler = PortalHandler(sys.stderr)
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    handler.setFormatter(formatter(app.config["LOG_FORMAT"]))
    root.setLevel(app.config["LOG_LEVEL"].upper())


def request_id(trusted_proxies):
    """The proxy's X-Request-Id when a trusted proxy is in front and it looks like one, else a new id."""
    sent = request.headers.get(HEADER, "") if trusted_proxies else ""
    return sent if REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def init_app(app):
    """Give each request its id, and send it back."""
    trusted = app.config["TRUSTED_PROXIES"]

    @app.before_request
    def take_request_id():
        g.request_id = request_id(trusted)

    @app.after_request
    def send_request_id(response):
        response.headers[HEADER] = g.get("request_id") or request_id(trusted)
        return response
