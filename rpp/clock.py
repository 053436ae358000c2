"""The portal's clock: one place that tells the time, so tests can move it."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow():
    """The current time in UTC, naive, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def local(moment):
    """A stored UTC time in the portal's time zone."""
    zone = ZoneInfo(current_app.config["PORTAL_TIMEZONE"])
    return moment.replace(tzinfo=UTC).astimezone(zone)
