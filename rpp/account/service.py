"""Edit Your Profile and Change Your Password: the rules (Register for Another State is rpp.registration.flow)."""
import re
from datetime import timedelta

from flask import current_app
from peewee import SqliteDatabase

from .. import clock, messages, notices, outbox
from .. import validators as rules
from ..confirm import Refusal, confirm_it_is_you
from ..events import record_event
from ..extensions import db, write_transaction
from ..messages import LazyText, state_name
from ..models import Account, LoginSession, SecurityEvent, StateRegistration, TemporaryPassword
from ..passwords import bounded, hash_password, verify_password
from ..states import BCBS_STATES, PRODUCER_SERVICES

SAME_AS_CURRENT = messages.lazy_text("password.same_as_current")
ACTIVITY_SIZE = 10


# Events whose detail helps the producer (the others' detail is for Producer Services).
SHOWN_DETAIL = {"login failed", "profile changed", "registration submitted"}
ATTEMPT = re.compile(r"attempt (\d+) of (\d+)")  # how rpp.judge words a failed login's detail


# Edit Your Profile.

def registration_for(account, state):
    """The account's registration in `state`, or None."""
    if state is None:
        return None
    return StateRegistration.get_or_none(StateRegistration.account == account,
                                         StateRegistration.state == state)


def update_profile(login_session, state, values, labels, current_password="", client_address=""):
    """Store the editable fields of one state's registration; a Refusal when it may not be done.

    Changing the e-mail address (where recovery e-mails go) needs the current password, counted
    toward the lockout like Change Password's, and happens at most a few times a day. The old
    address is told as well as the new one. `labels` are the guide's label of each field
    (zip_code → "Zip Code"), as the form shows them.
    """
    account = login_session.account
    row = registration_for(account, state)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if "email" in changed:
        refused = confirm_it_is_you(login_session, current_password, client_address, "profile change refused",
                                    "Edit Profile", field="password")
        if refused is not None:
            return refused
    with write_transaction():
        lock_account(account)
        if "email" in changed and email_changes_today(account) >= current_app.config["EMAIL_CHANGES_PER_DAY"]:
            return Refusal("email", messages.text("profile.email_change_limit",
                                                  count=current_app.config["EMAIL_CHANGES_PER_DAY"]))
        if not changed:
            return None
        StateRegistration.update(**values).where(StateRegistration.id == row.id).execute()
        record_event("profile changed", account, client_address,
                     f"{BCBS_STATES[state]}: " + ", ".join(labels[name] for name in changed))
        if "email" in changed:
            record_event("e-mail address changed", account, client_address, BCBS_STATES[state])
            for recipient, is_old in ((row.email, True), (values["email"], False)):
                outbox.queue(recipient, messages.lazy_text("email.email_changed"), "email_changed",
                             account=account, state_name=LazyText(state_name, state), to_old_address=is_old,
                             changed_at=clock.utcnow(), number=PRODUCER_SERVICES[state])
    return None


def lock_account(account):
    """Hold the account's row until commit on PostgreSQL, so two changes at once are counted one
    after the other (SQLite's IMMEDIATE transaction already lets one writer in at a time)."""
    if not isinstance(db.obj, SqliteDatabase):
        Account.select(Account.id).where(Account.id == account.id).for_update().execute()


def email_changes_today(account):
    """How many times the account's e-mail address changed in the last 24 hours."""
    return (SecurityEvent.select()
            .where(SecurityEvent.account == account, SecurityEvent.kind == "e-mail address changed",
                   SecurityEvent.created_at > clock.utcnow() - timedelta(days=1))
            .count())


def activity_label(kind):
    """What a security event means to the producer reading their recent activity (the catalogue's
    `activity.<kind>`), or the event's own name."""
    key = f"activity.{kind}"
    return messages.text(key) if key in messages.MESSAGES else kind.capitalize()


def activity_detail(event):
    """An event's detail as the producer reads it: a login's "attempt 2 of 3" in the page's language."""
    attempt = ATTEMPT.fullmatch(event.detail or "")
    if attempt:
        return messages.text("activity.attempt", attempt=attempt[1], threshold=attempt[2])
    return event.detail


def recent_activity(account, limit=ACTIVITY_SIZE):
    """The account's latest security events as the producer reads them: when, what, from where."""
    events = (SecurityEvent.select()
              .where(SecurityEvent.account == account)
              .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc())
              .limit(limit))
    return [{"created_at": event.created_at,
             "label": activity_label(event.kind),
             "detail": activity_detail(event) if event.kind in SHOWN_DETAIL else "",
             "client_address": event.client_address}
            for event in events]


# Change Your Password.

def new_password_problem(new_password, user_name, current_password=""):
    """Why this New Password may not be used (SPEC §4), or None."""
    if current_password and new_password == current_password:
        return SAME_AS_CURRENT
    return rules.guessable_password_problem(new_password, user_name, "new_password")


@bounded
def change_password(this_session, current_password, new_password, client_address=""):
    """Store a new password and sign out every other session; a Refusal when it may not be done."""
    account = this_session.account
    refused = confirm_it_is_you(this_session, current_password, client_address, "password change refused",
                                "Change Password")
    if refused is not None:
        return refused
    if verify_password(account.password_hash, new_password):
        return Refusal("new_password", SAME_AS_CURRENT)
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
        notices.notify(account, messages.lazy_text("email.password_changed"), "password_changed")
    account.password_hash = password_hash
    this_session.must_change_password = False
    this_session.temporary_password_hash = None
    return None
