"""Edit Your Profile, Register for Another State and Change Your Password: the rules."""
import os

from flask import current_app

from .. import clock, notices, outbox
from ..auth import service as auth
from ..events import record_event
from ..extensions import write_transaction
from ..models import (Account, LoginSession, RegistrationDraft, SecurityEvent, StateRegistration,
                      TemporaryPassword)
from ..passwords import bounded, hash_password, verify_password
from ..registration import drafts, service as registration
from ..registration.forms import StateDetailsForm
from ..states import BCBS_STATES, PRODUCER_SERVICES

COMMON_PASSWORDS_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                     "data", "common_passwords.txt")

WRONG_CURRENT_PASSWORD = ("Your Current Password is not correct. Please enter the password you log in with "
                          "(or the temporary password from your e-mail).")
SAME_AS_CURRENT = "New Password must be different from your Current Password."
CONTAINS_USER_NAME = "New Password must not contain your User Name."
COMMON_PASSWORD = ("New Password is one of the most commonly used passwords and is easy to guess. "
                   "Please choose a less common New Password.")
ALREADY_SUBMITTED = "This registration has already been submitted."
ACTIVITY_SIZE = 10

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


def field_labels():
    """The guide's label of each editable profile field, e.g. zip_code → "Zip Code"."""
    return {name: field.label.text for name, field in StateDetailsForm()._fields.items()}


def update_profile(account, state, values, client_address=""):
    """Store the editable fields of one state's registration; returns the labels of what changed.

    A changed e-mail address is told to the old address as well as the new one.
    """
    labels = field_labels()
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


# Register for Another State.

def unregistered_states(account):
    """The BCBS states this account has no registration in (any status), in the guide's order."""
    registered = {row.state for row in StateRegistration.select(StateRegistration.state)
                  .where(StateRegistration.account == account)}
    return [code for code in BCBS_STATES if code not in registered]


def save_another_state_draft(token, account, state_fields):
    """Keep checked state blocks until Submit Registration; returns the draft's token."""
    account_fields = {"account_id": account.id, "user_name": account.user_name,
                      "first_name": account.first_name, "last_name": account.last_name}
    return drafts.save_draft(token, account_fields, state_fields)


def load_another_state_draft(account, token):
    """This account's Register for Another State draft, or None."""
    draft = drafts.load_draft(token)
    if draft is None or draft.fields["account"].get("account_id") != account.id:
        return None
    return draft


def submit_another_state(account, draft, client_address=""):
    """Add the draft's states to the account as pending, all or nothing; ends the draft."""
    states = draft.fields["states"]
    with write_transaction():
        # Deleting the draft first makes a second Submit of the same draft a no-op.
        if RegistrationDraft.delete().where(RegistrationDraft.token == draft.token).execute() != 1:
            raise registration.DuplicateRegistration("draft", ALREADY_SUBMITTED)
        already = set(states) - set(unregistered_states(account))
        if already:
            names = ", ".join(BCBS_STATES[code] for code in sorted(already))
            raise registration.DuplicateRegistration(
                "states", f"You have already registered for {names}. Please do NOT register more than one time.")
        registration.add_state_registrations(account, states)
        record_event("registration submitted", account, client_address, ", ".join(sorted(states)))
    return clock.utcnow()


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
    """Store a new password and sign out every other session; returns (field, message) when refused.

    ("locked", None) means the wrong current passwords reached the lockout: every session ended.
    """
    account = this_session.account
    if not current_password_ok(this_session, current_password):
        locked = count_wrong_current_password(account, client_address, "password change refused",
                                              "Change Password")
        return ("locked", None) if locked else ("current_password", WRONG_CURRENT_PASSWORD)
    if verify_password(account.password_hash, new_password):
        return "new_password", SAME_AS_CURRENT
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
