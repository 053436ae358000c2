"""Producer Services console rules: staff users and sessions, the pending queue, search, roster upload.

Activation, rejection, unlock and roster import are the same functions the CLI calls
(registration.activation and auth.service); this module only adds who did it and what staff see.
"""
import csv
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from peewee import IntegrityError

from .. import clock, idle, lockout, notices
from ..auth import service as auth
from ..events import record_event, record_event_for
from ..extensions import write_transaction
from ..judge import Credential, end_pending_sign_ins, end_sessions, judge, judge_unknown_name
from ..lockout import STAFF_SIGN_IN_OUTCOME_KEY, SignInOutcome
from ..messages import lazy_text, text
from ..models import Account, LoginSession, SecurityEvent, StaffSession, StaffUser, StateRegistration, TwoStep
from ..passwords import bounded, dummy_hash, hash_password, verify_password
from ..registration import activation
from ..registration.roster import RosterError
from ..twostep import service as two_step
from . import queue, roster

STAFF_PASSWORD_MIN = 12
STAFF_PASSWORD_MAX = 128
STAFF_PASSWORD_RULE = text("staff.password_rule", minimum=STAFF_PASSWORD_MIN, maximum=STAFF_PASSWORD_MAX)
STAFF_USER_NAME_RULE = text("staff.user_name_rule")
SEARCH_LIMIT = 50
EVENT_LIMIT = 50


class StaffUserError(Exception):
    """A staff user that cannot be created as asked."""


# Staff users and their sign-in.

def staff_password_problem(password):
    """Why this cannot be a staff password, or None (the producer 6–9 rule does not apply)."""
    if not STAFF_PASSWORD_MIN <= len(password or "") <= STAFF_PASSWORD_MAX:
        return STAFF_PASSWORD_RULE
    return None


def create_staff_user(user_name, password, by="", client_address="", admin=False, initial=False):
    """A new staff user with a hashed password; user names are unique ignoring case. The first staff
    user is an admin; `initial` marks a password an admin chose, to be changed at first sign-in."""
    user_name = (user_name or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9._\-]{3,30}", user_name):
        raise StaffUserError(STAFF_USER_NAME_RULE)
    problem = staff_password_problem(password)
    if problem:
        raise StaffUserError(problem)
    try:
        with write_transaction():
            role = "admin" if admin or not StaffUser.select().exists() else "clerk"
            staff_user = StaffUser.create(user_name=user_name.lower(), password_hash=hash_password(password),
                                          role=role, must_change_password=initial)
            record_event("staff user created", None, client_address,
                         f"staff user {staff_user.user_name}, {role}" + (f" (by {by})" if by else ""))
    except IntegrityError as error:
        raise StaffUserError(text("staff.user_exists", user_name=user_name.lower())) from error
    return staff_user


def set_disabled(staff_user, disabled, by, client_address=""):
    """Disable a staff user (their sessions and any sign-in of theirs under way end at once) or enable
    them again."""
    with write_transaction():
        StaffUser.update(disabled=disabled).where(StaffUser.id == staff_user.id).execute()
        if disabled:
            end_pending_sign_ins(staff_user)
            end_sessions(staff_user)
        record_event("staff user disabled" if disabled else "staff user enabled", None, client_address,
                     f"staff user {staff_user.user_name} (by {by.user_name})")


def change_staff_password(staff_session, new_password, client_address=""):
    """Set a staff user's own new password; every other session of theirs ends."""
    staff_user = staff_session.staff_user
    with write_transaction():
        StaffUser.update(password_hash=hash_password(new_password), must_change_password=False).where(
            StaffUser.id == staff_user.id).execute()
        StaffSession.delete().where(StaffSession.staff_user == staff_user,
                                    StaffSession.token != staff_session.token).execute()
        record_event("staff password changed", None, client_address, f"staff user {staff_user.user_name}")


def staff_users():
    """Every staff user, by user name."""
    return list(StaffUser.select().order_by(StaffUser.user_name))


def staff_users_with_two_step():
    """The ids of the staff users whose two-step verification is on."""
    return {row.staff_user_id for row in TwoStep.select(TwoStep.staff_user)
            .where(TwoStep.staff_user.is_null(False), TwoStep.enabled_at.is_null(False))}


def reset_two_step_of_staff_user(staff_user, by, client_address=""):
    """A staff user lost their phone and recovery codes: two-step goes, their sessions end, and they set it
    up again at their next sign-in. The console's Reset two-step (by an admin) and `flask staff
    reset-two-step`. False when they had none to reset."""
    with write_transaction():
        if not two_step.disable(staff_user):
            return False
        StaffSession.delete().where(StaffSession.staff_user == staff_user).execute()
        record_event_for(staff_user, "two-step reset", client_address, f"by {by}")
    return True


def find_staff_user(user_name):
    """The staff user with this user name (staff user names ignore case)."""
    return StaffUser.get_or_none(StaffUser.user_name == (user_name or "").strip().lower())


@dataclass
class StaffLogin:
    """What a staff login attempt came to, with the staff user when one signed in or was refused."""
    outcome: SignInOutcome
    staff_user: StaffUser = None


@bounded
def authenticate(user_name, password, client_address=""):
    """The first step of a staff sign-in: user name and password, judged by rpp.judge (the producers'
    atomic lockout, per name typed). A disabled staff user is refused even with the right password."""
    password = password or ""
    staff_user = find_staff_user(user_name)
    if staff_user is None:
        verdict = judge_unknown_name("staff", (user_name or "").strip().lower(),
                                     lambda: verify_password(dummy_hash(), password), client_address)
        return StaffLogin(verdict.outcome)
    verdict = judge(staff_user, Credential.PASSWORD, lambda: verify_password(staff_user.password_hash, password),
                    client_address, more_follows=two_step.is_enabled(staff_user))
    if verdict.ok and staff_user.disabled:
        record_event("staff login refused: disabled", None, client_address, f"staff user {staff_user.user_name}")
        return StaffLogin(SignInOutcome.DISABLED, staff_user)
    if verdict.ok:
        auth.upgrade_hash(staff_user, password)
    return StaffLogin(verdict.outcome, staff_user)


def unlock_staff_user(staff_user, by, client_address=""):
    """Lift a staff user's lockout at once: the console's Unlock (by an admin) and `flask staff unlock`."""
    with write_transaction():
        lockout.clear_count(staff_user)
        record_event("staff user unlocked", None, client_address, f"staff user {staff_user.user_name} (by {by})")


def start_session(staff_user, client_address=""):
    """A new server-side staff session; its token is all the browser keeps. None when the staff user was
    disabled or locked while signing in (the sign-in page says so)."""
    now = clock.utcnow()
    with write_transaction():
        staff_user = StaffUser.get_by_id(staff_user.id)  # as it is now, not as the sign-in began
        if staff_user.disabled or staff_user.is_locked(now):
            return None
        StaffSession.delete().where(StaffSession.expires_at <= now).execute()
        staff_session = StaffSession.create(
            token=secrets.token_urlsafe(32), staff_user=staff_user, client_address=client_address,
            expires_at=now + timedelta(hours=current_app.config["STAFF_SESSION_HOURS"]), last_active_at=now)
        record_event("staff login", None, client_address, f"staff user {staff_user.user_name}")
    return staff_session


def load_session(token):
    """The live staff session for this token (with its staff user), or None: ended, expired, its staff user
    disabled, or unused for STAFF_SESSION_IDLE_MINUTES (then it ends, and `idle` says so)."""
    if not token:
        return None
    now = clock.utcnow()
    staff_session = (StaffSession.select(StaffSession, StaffUser).join(StaffUser)
                     .where(StaffSession.token == token, StaffSession.expires_at > now,
                            StaffUser.disabled == False)  # noqa: E712  (peewee's SQL comparison)
                     .first())
    if staff_session is None:
        return None
    if not idle.still_active(StaffSession, staff_session, current_app.config["STAFF_SESSION_IDLE_MINUTES"], now,
                             STAFF_SIGN_IN_OUTCOME_KEY):
        return None
    return staff_session


def stay_signed_in(staff_session):
    """Stay signed in: the staff session is used now, so the idle limit starts again."""
    idle.extend(StaffSession, staff_session, clock.utcnow())


def end_session(staff_session, client_address=""):
    """Staff logout: the session row goes, so a replayed cookie signs no one in."""
    with write_transaction():
        StaffSession.delete().where(StaffSession.token == staff_session.token).execute()
        record_event("staff logout", None, client_address, f"staff user {staff_session.staff_user.user_name}")


# Queue rows (rpp.staff.queue lists them).

def queue_row(registration_id):
    """One state registration as a queue row (whatever its status), or None."""
    row = queue.with_roster(StateRegistration.select().join(Account)).where(
        StateRegistration.id == registration_id).first()
    return queue.QueueRow(row, row.roster_entry, clock.utcnow()) if row else None


def activate_registration(row, staff_user, client_address=""):
    """Activate this pending registration and send its e-mail — the CLI's own activate()."""
    activation.activate(row.account.user_name, row.registration.state, by=staff_user.user_name,
                          client_address=client_address)
    return queue_row(row.registration.id)


def reject_registration(row, reason, staff_user, client_address=""):
    """Reject this pending registration with a reason — the CLI's own reject()."""
    activation.reject(row.account.user_name, row.registration.state, reason, by=staff_user.user_name,
                        client_address=client_address)
    return queue_row(row.registration.id)


def revoke_registration(row, reason, staff_user, client_address=""):
    """Revoke this active registration with a reason; its Agent Unique ID is free again."""
    activation.revoke(row.registration, reason, by=staff_user.user_name, client_address=client_address)
    return queue_row(row.registration.id)


# Activate Selected / Reject Selected.

def selected_registrations(ids):
    """The registrations with these ids (and their accounts), oldest first; unknown ids are left out."""
    return list(StateRegistration.select(StateRegistration, Account).join(Account)
                .where(StateRegistration.id.in_(list(ids)))
                .order_by(StateRegistration.submitted_at, StateRegistration.id))


def activation_emails(rows):
    """What Activate Selected will send: (address, user name, state names) per producer and address."""
    emails = {}
    for row in rows:
        if row.status == "pending":
            emails.setdefault((row.email, row.account.user_name), []).append(row.state_name)
    return [(email, user_name, states) for (email, user_name), states in emails.items()]


def decide_selected(action, ids, reason, staff_user, client_address=""):
    """Activate or reject each selected registration on its own; [(registration, Decision)] in order."""
    rows = selected_registrations(ids)
    if action == "activate":
        outcomes = activation.activate_registrations(rows, staff_user.user_name, client_address)
    else:
        outcomes = activation.reject_registrations(rows, reason, staff_user.user_name, client_address)
    return [(row.id, outcomes[row.id].value) for row in rows]


@dataclass
class BulkResults:
    """What a bulk decision came to, registration by registration (as they are now)."""
    rows: list  # [(StateRegistration, Decision)]

    @property
    def changed(self):
        return [row for row, decision in self.rows if decision is activation.Decision.DONE]

    @property
    def unchanged(self):
        return len(self.rows) - len(self.changed)

    @property
    def activated(self):
        return [row for row in self.changed if row.status == "active"]

    @property
    def rejected(self):
        return [row for row in self.changed if row.status == "rejected"]

    @property
    def activation_emails(self):
        """One per producer and address: the states activated together share it."""
        return len({(row.account_id, row.email) for row in self.activated})


def decided_rows(outcomes):
    """The registrations of a bulk decision as they are now, each with what became of it."""
    decisions = {registration_id: activation.Decision(value) for registration_id, value in outcomes}
    return BulkResults([(row, decisions[row.id]) for row in selected_registrations(decisions)])


# Producer search and the account page.

def search_accounts(query):
    """Accounts whose user name, name, Agent ID or e-mail contains the words typed."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return []
    by_registration = (StateRegistration.select(StateRegistration.account)
                       .where(StateRegistration.agent_id.startswith(query)
                              | StateRegistration.email.contains(query)))
    full_name = Account.first_name.concat(" ").concat(Account.last_name)
    accounts = list(Account.select()
                    .where(Account.user_name_key.contains(query.lower()) | full_name.contains(query)
                           | Account.id.in_(by_registration))
                    .order_by(Account.user_name_key).limit(SEARCH_LIMIT))
    registrations = {}
    for row in (StateRegistration.select()
                .where(StateRegistration.account.in_([a.id for a in accounts]))
                .order_by(StateRegistration.state)):
        registrations.setdefault(row.account_id, []).append(row)
    for account in accounts:
        account.found_registrations = registrations.get(account.id, [])
    return accounts


def account_registrations(account):
    """The account's state registrations, in state order."""
    return list(StateRegistration.select().where(StateRegistration.account == account)
                .order_by(StateRegistration.state))


def recent_events(account):
    """The account's most recent security events, newest first."""
    return list(SecurityEvent.select().where(SecurityEvent.account == account)
                .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc()).limit(EVENT_LIMIT))


def unlock_account(account, staff_user, client_address=""):
    """Lift the account's lockout — the CLI's own unlock()."""
    auth.unlock(account, client_address, by=staff_user.user_name)
    return Account.get_by_id(account.id)


def reset_two_step(account, staff_user, reason, client_address=""):
    """Turn the producer's two-step verification off at their request, for `reason` (kept in the event);
    they are told by e-mail (never a secret)."""
    with write_transaction():
        if two_step.disable(account):
            record_event("two-step reset by Producer Services", account, client_address,
                         f"by {staff_user.user_name}: {reason}")
            notices.notify(account, lazy_text("email.two_step_turned_off"),
                           "two_step_changed", turned_on=False, by_producer_services=True)


def sign_out_everywhere(account, staff_user, client_address=""):
    """End every session of the producer (a stolen device, a shared computer); the event names the clerk."""
    with write_transaction():
        ended = LoginSession.delete().where(LoginSession.account == account).execute()
        record_event("signed out everywhere by staff", account, client_address,
                     f"by {staff_user.user_name}: {ended} session{'' if ended == 1 else 's'}")
    return ended


def live_sessions(account):
    """How many browsers the producer is signed in on now."""
    return LoginSession.select().where(LoginSession.account == account,
                                       LoginSession.expires_at > clock.utcnow()).count()


# Roster upload.

def read_roster_upload(stream):
    """The text of an uploaded roster file, or RosterError saying why it cannot be read."""
    limit = current_app.config["ROSTER_UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        size = f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} KB"
        raise RosterError([text("roster.too_large", size=size)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterError([text("roster.not_utf8")]) from error


def preview_roster(upload, staff_user, client_address=""):
    """Read an uploaded roster file and keep it until Apply: (RosterChanges, token); nothing changes yet.
    A file with any bad line is refused (RosterError listing every one), as the CLI's import."""
    named = f"by {staff_user.user_name}"
    try:
        content = read_roster_upload(upload.stream)
        changes = roster.roster_changes(content)
    except csv.Error as error:
        record_event("roster upload refused", None, client_address, f"not a CSV file, {named}")
        raise RosterError([text("roster.not_csv", error=error)]) from error
    except RosterError as error:
        record_event("roster upload refused", None, client_address, f"{error.total} bad line(s), {named}")
        raise
    return changes, roster.keep_upload(content, upload.filename, staff_user)
