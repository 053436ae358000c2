"""The lockout: failed sign-ins counted atomically per account and per submitted user name.

Every user name typed at a sign-in counts, whether or not an account has it: a real account
counts on its own row (`failed_logins`, `locked_until`, `last_failed_at`), any other name —
unknown, or a real one in the wrong case — on a `FailedSignIn` row keyed by a keyed hash of
the name exactly as it is looked up. Both lock on the same attempt and lift the same way, so the
lockout tells nobody which user names exist. Failures older than the lockout time are forgotten
(a lock lifts by itself, a count below the threshold starts again), which is also when a name's
row is purged.
"""
import enum
import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from peewee import Case

from .extensions import write_transaction
from .models import FailedSignIn


class SignInOutcome(enum.Enum):
    """What a sign-in attempt came to (producers and staff)."""
    OK = "ok"
    MISMATCH = "mismatch"
    LOCKED = "locked"
    NOT_ACTIVATED = "not_activated"  # a registration still pending, none active
    NOT_REGISTERED = "not_registered"  # every state registration rejected or revoked
    DISABLED = "disabled"  # a staff user an admin disabled (right password)
    VERIFICATION_EXPIRED = "verification_expired"  # the Verification Code step took too long
    SESSION_EXPIRED = "session_expired"  # a form was sent after the sign-in ended (rpp.errors)
    IDLE = "idle"  # the session ended after SESSION_IDLE_MINUTES (staff: STAFF_SESSION_IDLE_MINUTES) unused


# In the Flask session: what the producers' (and the console's) sign-in page says after a redirect there.
SIGN_IN_OUTCOME_KEY = "sign_in_outcome"
STAFF_SIGN_IN_OUTCOME_KEY = "staff_sign_in_outcome"


def lockout_time():
    return timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])


def count_failure(model, row_filter, now):
    """Count one attempt on the row(s) `row_filter` selects, in one UPDATE, and return its number.

    Counting before the password is checked means concurrent guesses can never check more than
    the threshold of passwords while unlocked. An expired lock, or a last failure longer ago than
    the lockout time, starts the count again.
    """
    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    locked = model.locked_until.is_null(False) & (model.locked_until > now)
    forgotten = ((model.locked_until.is_null(False) & (model.locked_until <= now))
                 | (model.locked_until.is_null() & model.last_failed_at.is_null(False)
                    & (model.last_failed_at <= now - lockout_time())))
    count = Case(None, [(forgotten, 1)], model.failed_logins + 1)
    locked_until = Case(None, [(locked, model.locked_until), (count >= threshold, now + lockout_time())], None)
    query = (model.update(failed_logins=count, locked_until=locked_until, last_failed_at=now)
             .where(row_filter).returning(model.failed_logins))
    return next(iter(query.execute())).failed_logins


def reserve_attempt(row, now):
    """Count an attempt on an account or a staff user before its password is checked; its number."""
    model = type(row)
    with write_transaction():
        return count_failure(model, model.id == row.id, now)


def name_key(scope, user_name):
    """The stored key of a typed user name: a keyed hash, since people type passwords there too."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"{scope}\0{user_name}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def reserve_name_attempt(scope, user_name, now):
    """Count an attempt on a user name no account has (as typed), like reserve_attempt; its number.

    scope is "producer" or "staff". Rows whose count would start again anyway are purged here.
    """
    key = name_key(scope, user_name)
    forgotten = ((FailedSignIn.locked_until <= now)
                 | (FailedSignIn.locked_until.is_null() & (FailedSignIn.last_failed_at <= now - lockout_time())))
    with write_transaction():
        FailedSignIn.delete().where(forgotten).execute()
        FailedSignIn.insert(name_key=key, failed_logins=0, last_failed_at=now).on_conflict_ignore().execute()
        return count_failure(FailedSignIn, FailedSignIn.name_key == key, now)


def is_locked_out(attempt):
    """Whether an attempt with this number meets a lock (it is past the threshold)."""
    return attempt > current_app.config["LOCKOUT_THRESHOLD"]


def locks_now(attempt):
    """Whether this judged attempt is the one that locks (the threshold is reached)."""
    return attempt >= current_app.config["LOCKOUT_THRESHOLD"]



def clear_count(row):
    """A finished sign-in or an unlock (account or staff user): the count starts again, any lock is lifted."""
    model = type(row)
    model.update(failed_logins=0, locked_until=None, last_failed_at=None).where(model.id == row.id).execute()


def release_attempt(row):
    """A right password whose sign-in still waits for its Verification Code: the attempt counted for it is
    given back (and the lock it alone would have set), so the wrong answers before it still count and the
    code's attempts are counted on top. One UPDATE: concurrent failures keep their lock."""
    model = type(row)
    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    released = model.failed_logins - 1
    model.update(failed_logins=released,
                 locked_until=Case(None, [(released >= threshold, model.locked_until)], None)).where(
        model.id == row.id, model.failed_logins > 0).execute()
