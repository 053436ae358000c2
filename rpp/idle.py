"""Sessions that end when nobody is there (producers' login sessions and staff sessions alike).

A session unused for its idle limit (SESSION_IDLE_MINUTES, STAFF_SESSION_IDLE_MINUTES) ends at its next
request, and the sign-in page says why. "Used" is any request that reads the session; it is written at most
once a minute (a quarter of the limit when that is shorter), so reading pages stays cheap. With JavaScript
the page warns before the end and offers Stay signed in (static/js/portal.js → `extend`).
"""
from datetime import timedelta

from flask import session

from .extensions import write_transaction
from .lockout import SignInOutcome

# "Last active" in Where You're Signed In is kept to the minute.
ACTIVITY_RESOLUTION = timedelta(minutes=1)


def still_active(model, row, minutes, now, outcome_key):
    """Whether this session (a row of `model`: LoginSession or StaffSession) is still live; one unused for
    `minutes` ends here, and the sign-in page (`outcome_key`) will say so. A live one is marked used."""
    limit = timedelta(minutes=minutes)
    last = row.last_active_at or row.created_at
    if now - last > limit:
        with write_transaction():
            model.delete().where(model.token == row.token).execute()
        session[outcome_key] = SignInOutcome.IDLE.value
        return False
    if now - last > resolution(minutes):
        model.update(last_active_at=now).where(model.token == row.token).execute()
        row.last_active_at = now
    return True


def extend(model, row, now):
    """Stay signed in: the session counts as used now."""
    model.update(last_active_at=now).where(model.token == row.token).execute()
    row.last_active_at = now


def resolution(minutes):
    """How stale a session's "last used" time may be: it is written at most this often."""
    return min(ACTIVITY_RESOLUTION, timedelta(minutes=minutes) / 4)


def seconds_left(minutes):
    """How long a page that has just answered can be sure its session lasts unused (the warning's clock)."""
    return int((timedelta(minutes=minutes) - resolution(minutes)).total_seconds())


def warning_seconds(minutes):
    """How long before the end the page warns: 2 minutes, or half the limit when that is shorter."""
    return int(min(120, seconds_left(minutes) / 2))
