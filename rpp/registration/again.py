"""Register Again: a producer whose sign-in was refused because no registration is active, and some
were rejected or revoked, registers those states again with the same account, without staff help.

The sign-in proved the password; the browser's session then carries the account for
REGISTER_AGAIN_MINUTES, for the registration flow (rpp.registration.flow) mounted at /register/again.
It can only add pending registrations, which Producer Services still activates.
"""
import functools
from datetime import datetime, timedelta

from flask import current_app, session, url_for

from .. import clock
from ..hypermedia import redirect_after_post
from ..models import Account

REGISTER_AGAIN_KEY = "register_again"


def allow(account):
    """After a sign-in with the right password and no active registration: this browser may register again."""
    until = clock.utcnow() + timedelta(minutes=current_app.config["REGISTER_AGAIN_MINUTES"])
    session[REGISTER_AGAIN_KEY] = {"account_id": account.id, "until": until.isoformat()}


def returning_producer():
    """The account this browser may register again for, or None (never allowed, or the time is up)."""
    allowed = session.get(REGISTER_AGAIN_KEY)
    if not isinstance(allowed, dict) or not isinstance(allowed.get("until"), str):
        return None
    try:
        if datetime.fromisoformat(allowed["until"]) <= clock.utcnow():
            return None
    except ValueError:
        return None
    return Account.get_or_none(Account.id == allowed.get("account_id"))


def register_again_required(view):
    """Register Again's steps answer only a browser allowed to; anyone else goes to the sign-in page."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if returning_producer() is None:
            session.pop(REGISTER_AGAIN_KEY, None)
            return redirect_after_post(url_for("auth.sign_in"))
        return view(*args, **kwargs)
    return wrapper
