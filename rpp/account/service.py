"""Edit Your Profile and Change Your Password: the rules (Register for Another State is rpp.registration.flow)."""
import os
from dataclasses import dataclass

from flask import current_app

from .. import clock, notices, outbox
from ..auth import service as auth
from ..events import record_event
from ..extensions import write_transaction
from ..models import (Account, LoginSession, SecurityEvent, StateRegistration,
                      TemporaryPassword)
from ..passwords import bounded, hash_password, verify_password
from ..registration import service as registration
from ..states import BCBS_STATES, PRODUCER_SERVICES

COMMON_PASSWORDS_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                     "data", "common_passwords.txt")

WRONG_CURRENT_PASSWORD = ("Your Current Password is not correct. Please enter the password you log in with "
                          "(or the temporary password from your e-mail).")
SAME_AS_CURRENT = "New Password must be different from your Current Password."
CONTAINS_USER_NAME = "New Password must not contain your User Name."
COMMON_PASSWORD = ("New Password is one of the most commonly used passwords and is easy to guess. "
                   "Please choose a less common New Password.")
ACTIVITY_SIZE = 10


@dataclass(frozen=True)
class PasswordRefused:
    """Change Password refused the new password: `message` goes beside the form's `field`."""
    field: str
    message: str


class LockedOut(Exception):
    """Wrong Current Passwords reached the lockout: every session of the account has ended."""

# What each security event means to the producer reading their recent activity.
EVENT_LABELS = {
    "login": "Logged in",
    "logout": "Logged out",
    "login failed": "Unsuccessful login (wrong password)",
    "account locked": "Account temporarily locked after unsuccessful logins",
    "login refused: account locked": "Login refused: account temporarily locked",
    "login refused: not yet activated": "Login refused: registration not yet activated",
    "account unlocked": "Account unlocked",
    "temporary password used": "Logged in with a temporary password",
    "password changed": "Password changed",
    "password change refused": "Password change refused: wrong current password",
    "profile changed": "Profile updated",
    "registration submitted": "Registration submitted",
    "registration activated": "Registration activated",
    "registration rejected": "Registration not activated",
    "two-step turned on": "Two-step verification turned on",
    "two-step turned off": "Two-step verification turned off",
    "two-step change refused": "Two-step change refused: wrong current password or code",
    "recovery codes replaced": "New recovery codes made (the old ones no longer work)",
    "recovery code used": "Logged in with a recovery code",
    "verification code wrong": "Unsuccessful login (wrong verification code)",
    "signed out another session": "Signed out another browser",
    "signed out everywhere else": "Signed out every other browser",
}
# Events whose detail helps the producer (the others' detail is for Producer Services).
SHOWN_DETAIL = {"login failed", "profile changed", "registration submitted"}


# Edit Your Profile.

def registration_for(account, state):
    """The account's registration in `state`, or None."""
    if state is None:
        return None
    return StateRegistration.get_or_none(StateRegistration.account == account,
                                         StateRegistration.state == state)


def update_profile(account, state, values, labels, client_address=""):
    """Store the editable fields of one state's registration; returns the labels of what changed.

    `labels` are the guide's label of each field (zip_code → "Zip Code"), as the form shows them.
    A changed e-mail address is told to the old address as well as the new one.
    """
    with write_transaction():
        row = registration_for(account, state)
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if not changed:
            return []
        old_email = row.email
        StateRegistration.update(**values).where(StateRegistration.id == row.id).execute()
        record_event("profile changed", account, client_address,
                     f"{BCBS_STATES[state]}: " + ", ".join(labels[name] for name in changed))
        if "email" in changed:
            for recipient, is_old in ((old_email, True), (values["email"], False)):
                outbox.queue(recipient, "Retail Producer Portal E-mail Address Changed", "email_changed",
                             account=account, state_name=BCBS_STATES[state], to_old_address=is_old,
                             changed_at=clock.utcnow(), number=PRODUCER_SERVICES[state])
    return [labels[name] for name in changed]


def recent_activity(account, limit=ACTIVITY_SIZE):
    """The account's latest security events as the producer reads them: when, what, from where."""
    events = (SecurityEvent.select()
              .where(SecurityEvent.account == account)
              .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc())
              .limit(limit))
    return [{"created_at": event.created_at,
             "label": EVENT_LABELS.get(event.kind, event.kind.capitalize()),
             "detail": event.detail if event.kind in SHOWN_DETAIL else "",
             "client_address": event.client_address}
            for event in events]


# Change Your Password.

def common_passwords():
    """The shipped list of the most common passwords (lower case), read once per app."""
    cache = current_app.extensions.setdefault("rpp_common_passwords", {})
    if "list" not in cache:
        with open(COMMON_PASSWORDS_FILE, encoding="utf-8") as listing:
            cache["list"] = frozenset(line.strip().lower() for line in listing
                                      if line.strip() and not line.startswith("#"))
    return cache["list"]


def new_password_problem(new_password, user_name, current_password=""):
    """Why this New Password may not be used (SPEC §4), or None."""
    if current_password and new_password == current_password:
        return SAME_AS_CURRENT
    if user_name and user_name.lower() in new_password.lower():
        return CONTAINS_USER_NAME
    if new_password.lower() in common_passwords():
        return COMMON_PASSWORD
    return None


def current_password_ok(login_session, password):
    """The account's password, or the temporary one this session was signed in with."""
    temporary_hash = login_session.temporary_password_hash
    password_ok = verify_password(login_session.account.password_hash, password)
    temporary_ok = bool(temporary_hash) and verify_password(temporary_hash, password)
    return password_ok or temporary_ok


def count_wrong_current_password(account, client_address, event, where):
    """A wrong Current Password counts toward the lockout, so a stolen session cannot keep guessing.

    Returns True when it locked the account: every session of it has ended.
    """
    attempt = auth.reserve_attempt(account, clock.utcnow())
    locked = attempt >= current_app.config["LOCKOUT_THRESHOLD"]
    with write_transaction():
        record_event(event, account, client_address, "wrong current password")
        if locked:
            LoginSession.delete().where(LoginSession.account == account).execute()
            record_event("account locked", account, client_address,
                         f"unsuccessful Current Password attempts on {where}")
    return locked


@bounded
def change_password(this_session, current_password, new_password, client_address=""):
    """Store a new password and sign out every other session; returns a PasswordRefused when refused.

    Raises LockedOut when the wrong current passwords reached the lockout.
    """
    account = this_session.account
    if not current_password_ok(this_session, current_password):
        if count_wrong_current_password(account, client_address, "password change refused", "Change Password"):
            raise LockedOut()
        return PasswordRefused("current_password", WRONG_CURRENT_PASSWORD)
    if verify_password(account.password_hash, new_password):
        return PasswordRefused("new_password", SAME_AS_CURRENT)
    Account.update(failed_logins=0).where(Account.id == account.id).execute()
    password_hash = hash_password(new_password)
    with write_transaction():
        Account.update(password_hash=password_hash).where(Account.id == account.id).execute()
        LoginSession.delete().where(LoginSession.account == account,
                                    LoginSession.token != this_session.token).execute()
        LoginSession.update(must_change_password=False, temporary_password_hash=None).where(
            LoginSession.token == this_session.token).execute()
        # A reset asked for before this change must not open the account afterwards.
        TemporaryPassword.delete().where(TemporaryPassword.account == account).execute()
        record_event("password changed", account, client_address)
        notices.notify(account, "Retail Producer Portal Password Changed", "password_changed")
    account.password_hash = password_hash
    this_session.must_change_password = False
    this_session.temporary_password_hash = None
    return None
