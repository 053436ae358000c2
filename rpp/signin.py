"""A sign-in in progress, for producers and staff: one explicit state (SECURITY.md, "Sign-in states").

After a right first step, an owner with two-step holds a *pending sign-in*: a server-side row
(SignInChallenge) good for SIGN_IN_STEP_MINUTES and for this browser only (the Flask session holds its token
and nothing else), listing the steps still owed in order (STEPS). Until the second step is done nothing
account-specific happens: no session, no Register Again offer and no rejection reasons, no use of a
temporary password. From a pending sign-in only its next step answers (plus the sign-in page, which
starts over, and Contact Us): `pending_gate`, run before every request. Locking the account or disabling
the staff user ends it (rpp.judge); `load` refuses one whose owner became locked or disabled meanwhile.

When every factor is done the session starts; what is still owed after the factors (a staff user's
initial password and two-step set-up, a producer's Change Password after a temporary password) is kept by
that session, whose gates (rpp.gates) let it reach only that page.
"""
import secrets
from datetime import timedelta

from flask import current_app, redirect, request, session, url_for
from flask_login import logout_user

from . import clock
from .extensions import write_transaction
from .hypermedia import redirect_after_post
from .lockout import SignInOutcome
from .models import Account, SignInChallenge

PENDING_KEY = "pending_sign_in"  # in the Flask session: the token of the sign-in in progress
USER_NAME_KEY = "sign_in_user_name"  # kept for the sign-in page after the Verification Code step expired
# The steps a sign-in can owe, in the order they are taken.
CODE, CHANGE_PASSWORD, STAFF_SET_UP = "code", "change_password", "two_step_set_up"
STEPS = (CODE, CHANGE_PASSWORD, STAFF_SET_UP)
# What a pending sign-in may reach besides its next step: the way out (its sign-in page, which starts
# over, and its login form), the guide's help and static files.
PRODUCER_WAY_OUT = {"auth.verify", "auth.more_time", "auth.sign_in", "auth.login", "pages.contact_us", "static",
                    "languages.switch"}
STAFF_WAY_OUT = {"staff.verify", "staff.more_time", "staff.sign_in", "staff.login", "pages.contact_us", "static"}


def step_time():
    """How long a sign-in in progress waits for its Verification Code (SIGN_IN_STEP_MINUTES)."""
    return timedelta(minutes=current_app.config["SIGN_IN_STEP_MINUTES"])


def begin(owner, steps, temporary_password_hash=None, next_url=None):
    """A right first step whose second is owed: a fresh Flask session that holds only this sign-in."""
    now = clock.utcnow()
    owner_field = "account" if isinstance(owner, Account) else "staff_user"
    with write_transaction():
        SignInChallenge.delete().where(SignInChallenge.expires_at <= now).execute()
        token = SignInChallenge.create(
            token=secrets.token_urlsafe(32), expires_at=now + step_time(),
            steps=" ".join(steps), temporary_password_hash=temporary_password_hash, next_url=next_url,
            **{owner_field: owner}).token
    session.clear()
    session[PENDING_KEY] = token


def seconds_left(pending):
    """How long this sign-in in progress still waits for its code."""
    return max(int((pending.expires_at - clock.utcnow()).total_seconds()), 0)


def more_time_left(pending):
    """Whether More time may still be given: one more period, once."""
    return pending.expires_at - pending.created_at <= step_time() + timedelta(seconds=1)


def more_time(pending):
    """More time (the Verification Code step's last minute): one more SIGN_IN_STEP_MINUTES, once. False when
    it was given already."""
    if not more_time_left(pending):
        return False
    once = pending.created_at + step_time() + timedelta(seconds=1)  # in the UPDATE: two clicks give one period
    with write_transaction():
        return SignInChallenge.update(expires_at=clock.utcnow() + step_time()).where(
            SignInChallenge.token == pending.token, SignInChallenge.expires_at <= once).execute() == 1


def user_name_of_ended():
    """The user name of this browser's sign-in in progress, even when its time is up (the sign-in page
    keeps it after the step expired), or None."""
    token = session.get(PENDING_KEY)
    pending = SignInChallenge.get_or_none(SignInChallenge.token == token) if token else None
    return owner_of(pending).user_name if pending is not None else None


def owner_of(pending):
    """The producer account or the staff user this sign-in is for."""
    return pending.account if pending.account_id else pending.staff_user


def load():
    """This browser's sign-in in progress, or None: none, expired, or its owner locked or disabled since."""
    token = session.get(PENDING_KEY)
    if not token:
        return None
    pending = SignInChallenge.get_or_none(SignInChallenge.token == token,
                                          SignInChallenge.expires_at > clock.utcnow())
    if pending is None:
        return None
    owner = owner_of(pending)
    if owner.is_locked() or getattr(owner, "disabled", False):
        return None
    return pending


def drop():
    """Leave the sign-in in progress (starting over, or it ended): its row goes and the browser forgets it."""
    token = session.pop(PENDING_KEY, None)
    if token:
        with write_transaction():
            SignInChallenge.delete().where(SignInChallenge.token == token).execute()


def take(pending):
    """The second step was right: the row goes, so it finishes at most once. False when another request
    (a double click) took it first."""
    session.pop(PENDING_KEY, None)
    with write_transaction():
        return SignInChallenge.delete().where(SignInChallenge.token == pending.token).execute() == 1


def pending_gate():
    """Before every request: a browser with a sign-in in progress reaches only its next step (and the
    way out); anything else leads to that step. None when the request may go on."""
    token = session.get(PENDING_KEY)
    if not token or request.endpoint is None:
        return None
    pending = load()
    if pending is None:  # over: its Verification Code page says so (keeping the user name); elsewhere forgotten
        if request.endpoint not in ("auth.verify", "staff.verify"):
            session.pop(PENDING_KEY, None)
        return None
    way_out = PRODUCER_WAY_OUT if pending.account_id else STAFF_WAY_OUT
    if request.endpoint in way_out:
        return None
    target = url_for("auth.verify" if pending.account_id else "staff.verify")
    if request.method == "POST" or request.headers.get("HX-Request") == "true":
        return redirect_after_post(target)
    return redirect(target)


def last_outcome(flow):
    """What `flow`'s sign-in page says once: how the last sign-in ended (a SignInOutcome, or None) and the User
    Name it kept (the Verification Code step expired). Coming to that page drops a sign-in in progress."""
    drop()
    outcome = session.pop(flow.outcome_key, None)
    return (SignInOutcome(outcome) if outcome else None), session.pop(USER_NAME_KEY, None)


def signed_out(flow, outcome=None):
    """Signed out (Logout, a lock from a signed-in change, a sign-in refused at its last step): this browser's
    session ends, and `flow`'s sign-in page (rpp.twostep.pages: producers' or staff's) says why, if `outcome`."""
    logout_user()
    session.clear()
    if outcome is not None:
        session[flow.outcome_key] = outcome.value
    return redirect_after_post(url_for(flow.sign_in))
