"""Prometheus metrics at /metrics, for the addresses in METRICS_ALLOW only (loopback by default).

- rpp_http_requests_total and rpp_http_request_duration_seconds: every answer (static files apart) by
  endpoint, method and status;
- rpp_sign_ins_total{who, outcome}: producer and staff sign-ins — ok, mismatch, code_wrong (two-step),
  locked, not_activated, disabled, and limited (refused by the per-address limit) — and
  rpp_lockouts_total{who}, counted by rpp.events as the security events that record them are written;
- rpp_outbox_unsent, rpp_outbox_waiting_for_retry, rpp_outbox_failed, rpp_outbox_oldest_unsent_seconds:
  read from the database at each scrape, so they are right whichever process relays the mail;
  rpp_database_up is 0 when that read failed.

Under gunicorn every worker writes its counts to PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes one)
and a scrape adds them up (prometheus_client's multiprocess mode); without it the counts are this
process's own.
"""
import ipaddress
import os
import time

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from . import clock, outbox
from .client import client_address
from .events import SIGN_INS
from .extensions import db

bp = Blueprint("metrics", __name__)

REQUESTS = Counter("rpp_http_requests", "answers by endpoint, method and status", ["endpoint", "method", "status"])
DURATION = Histogram("rpp_http_request_duration_seconds", "seconds to answer, by endpoint", ["endpoint"],
                     buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
SIGN_IN_ENDPOINTS = {"auth.login": "producer", "staff.login": "staff"}  # their 429 is "limited"


class OutboxCollector:
    """The outbox's depth and age, read from the database when scraped."""

    def collect(self):
        up = GaugeMetricFamily("rpp_database_up", "1 when this scrape could read the database")
        try:
            with db.connection_context():
                status = outbox.status()
        except Exception:  # the database is down: say so rather than fail the scrape
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        age = (clock.utcnow() - status.oldest_unsent).total_seconds() if status.oldest_unsent else 0
        unsent = status.queued + status.waiting
        for name, doc, value in (
                ("rpp_outbox_unsent", "e-mails still to go (queued and waiting for retry)", unsent),
                ("rpp_outbox_waiting_for_retry", "e-mails whose last try failed (relay failures)", status.waiting),
                ("rpp_outbox_failed", "e-mails given up on (staff can retry them)", status.failed),
                ("rpp_outbox_oldest_unsent_seconds", "age of the oldest e-mail still to go (0: none)", age)):
            yield GaugeMetricFamily(name, doc, value=value)


OUTBOX = CollectorRegistry(auto_describe=False)
OUTBOX.register(OutboxCollector())


def allowed(address, networks):
    try:
        return any(ipaddress.ip_address(address) in network for network in networks)
    except ValueError:
        return False


@bp.get("/metrics")
def scrape():
    """The metrics in Prometheus' text format, for METRICS_ALLOW addresses only."""
    if not allowed(client_address(), current_app.extensions["rpp_metrics_allow"]):
        abort(403)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry) + generate_latest(OUTBOX), mimetype=CONTENT_TYPE_LATEST)


def init_app(app):
    """Time and count every answer; METRICS_ALLOW is read once."""
    app.extensions["rpp_metrics_allow"] = [ipaddress.ip_network(n.strip(), strict=False)
                                           for n in app.config["METRICS_ALLOW"].split(",") if n.strip()]

    @app.before_request
    def start_clock():
        g.rpp_started = time.perf_counter()

    @app.after_request
    def count_answer(response):
        endpoint = request.endpoint or "none"
        if endpoint != "static" and "rpp_started" in g:
            REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
            DURATION.labels(endpoint).observe(time.perf_counter() - g.rpp_started)
            if response.status_code == 429 and endpoint in SIGN_IN_ENDPOINTS:
                SIGN_INS.labels(SIGN_IN_ENDPOINTS[endpoint], "limited").inc()
        return response
