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


def short_wait(delta):
    """A wait as a clerk or an operator scans it: "< 1 min", "12 min", "5 h", "1 day", "3 days"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 1:
        return "< 1 min"
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{minutes // 60} h"
    days = minutes // (24 * 60)
    return f"{days} day{'' if days == 1 else 's'}"
