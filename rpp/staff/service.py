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
from peewee import JOIN, IntegrityError

from .. import clock
from ..auth import service as auth
from ..events import record_event
from ..extensions import write_transaction
from ..models import Account, RosterEntry, SecurityEvent, StaffSession, StaffUser, StateRegistration
from ..passwords import dummy_hash, hash_password, verify_password
from ..registration import activation, roster

STAFF_PASSWORD_MIN = 12
STAFF_PASSWORD_MAX = 128
STAFF_PASSWORD_RULE = f"A staff password must be {STAFF_PASSWORD_MIN} to {STAFF_PASSWORD_MAX} characters."
STAFF_USER_NAME_RULE = ("A staff user name must be 3 to 30 characters: letters, numbers, "
                        "periods (.), underscores (_) or hyphens (-).")
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


def create_staff_user(user_name, password, by="", client_address=""):
    """A new staff user with a hashed password; user names are unique ignoring case."""
    user_name = (user_name or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9._\-]{3,30}", user_name):
        raise StaffUserError(STAFF_USER_NAME_RULE)
    problem = staff_password_problem(password)
    if problem:
        raise StaffUserError(problem)
    try:
        with write_transaction():
            staff_user = StaffUser.create(user_name=user_name.lower(),
                                          password_hash=hash_password(password))
            record_event("staff user created", None, client_address,
                         f"staff user {staff_user.user_name}" + (f" (by {by})" if by else ""))
    except IntegrityError as error:
        raise StaffUserError(f"A staff user named {user_name.lower()!r} already exists.") from error
    return staff_user


def find_staff_user(user_name):
    """The staff user with this user name (staff user names ignore case)."""
    return StaffUser.get_or_none(StaffUser.user_name == (user_name or "").strip().lower())


@dataclass
class StaffLogin:
    """What a staff login attempt came to: ok, mismatch or locked."""
    outcome: str
    staff_user: StaffUser = None


def authenticate(user_name, password, client_address=""):
    """Check a staff user name and password with the producers' atomic lockout."""
    password = password or ""
    staff_user = find_staff_user(user_name)
    if staff_user is None:
        verify_password(dummy_hash(), password)
        # The typed name is left out: people sometimes type a password into the user name box.
        record_event("staff login failed", None, client_address, "unknown staff user name")
        return StaffLogin("mismatch")

    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    attempt = auth.reserve_attempt(staff_user, clock.utcnow())
    password_ok = verify_password(staff_user.password_hash, password)
    named = f"staff user {staff_user.user_name}"
    if attempt > threshold:
        record_event("staff login refused: account locked", None, client_address, named)
        return StaffLogin("locked", staff_user)
    if password_ok:
        StaffUser.update(failed_logins=0, locked_until=None).where(StaffUser.id == staff_user.id).execute()
        return StaffLogin("ok", staff_user)
    record_event("staff login failed", None, client_address, f"{named}: attempt {attempt} of {threshold}")
    if attempt >= threshold:
        record_event("staff account locked", None, client_address,
                     f"{named}: {threshold} unsuccessful login attempts")
        return StaffLogin("locked", staff_user)
    return StaffLogin("mismatch", staff_user)


def start_session(staff_user, client_address=""):
    """A new server-side staff session; its token is all the browser keeps."""
    now = clock.utcnow()
    with write_transaction():
        StaffSession.delete().where(StaffSession.expires_at <= now).execute()
        staff_session = StaffSession.create(
            token=secrets.token_urlsafe(32), staff_user=staff_user, client_address=client_address,
            expires_at=now + timedelta(hours=current_app.config["STAFF_SESSION_HOURS"]))
        record_event("staff login", None, client_address, f"staff user {staff_user.user_name}")
    return staff_session


def load_session(token):
    """The live staff session for this token (with its staff user), or None."""
    if not token:
        return None
    return (StaffSession.select(StaffSession, StaffUser).join(StaffUser)
            .where(StaffSession.token == token, StaffSession.expires_at > clock.utcnow())
            .first())


def end_session(staff_session, client_address=""):
    """Staff logout: the session row goes, so a replayed cookie signs no one in."""
    with write_transaction():
        StaffSession.delete().where(StaffSession.token == staff_session.token).execute()
        record_event("staff logout", None, client_address, f"staff user {staff_session.staff_user.user_name}")


# The pending queue.

def duration_text(delta):
    """A wait as people say it: "2 days 3 hours", "5 hours 10 minutes", "12 minutes"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes == 0:
        return "less than a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    units = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    first = next((i for i, (amount, _) in enumerate(units) if amount), 2)
    shown = [units[first]] + [unit for unit in units[first + 1:first + 2] if unit[0]]
    return " ".join(f"{amount} {unit}{'' if amount == 1 else 's'}" for amount, unit in shown)


def _same_name(a, b):
    """Names compare without case and extra spaces."""
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def roster_name_match(account, entry):
    """Whether the roster's name for the Agent ID is the registered name: (key, words for staff)."""
    if entry is None:
        return "missing", "Agent ID not on the roster"
    if not (entry.first_name or entry.last_name):
        return "unknown", "No name on the roster"
    if _same_name(entry.first_name, account.first_name) and _same_name(entry.last_name, account.last_name):
        return "match", "Matches the roster"
    roster_name = " ".join(part for part in (entry.first_name, entry.last_name) if part)
    return "mismatch", f"Does not match: the roster has {roster_name}"


@dataclass
class QueueRow:
    """One state registration as the console shows it, with its wait against the promise."""
    registration: StateRegistration
    roster_entry: RosterEntry = None
    now: object = None

    @property
    def account(self):
        return self.registration.account

    @property
    def waited(self):
        return duration_text(self.now - self.registration.submitted_at)

    @property
    def due(self):
        """When the guide's "within 1 business day" runs out (portal time zone)."""
        return activation.expected_activation(self.registration.submitted_at)

    @property
    def overdue(self):
        return self.registration.status == "pending" and clock.local(self.now) > self.due

    @property
    def overdue_by(self):
        return duration_text(clock.local(self.now) - self.due)

    @property
    def name_match(self):
        return roster_name_match(self.account, self.roster_entry)


def _with_roster(query):
    """Registrations with their account and (left-joined) roster entry, in one query."""
    on_roster = ((RosterEntry.state == StateRegistration.state)
                 & (RosterEntry.agent_id == StateRegistration.agent_id))
    return (query.select(StateRegistration, Account, RosterEntry).join(Account).switch(StateRegistration)
            .join(RosterEntry, JOIN.LEFT_OUTER, on=on_roster, attr="roster_entry"))


def pending_queue():
    """Every pending state registration, oldest first."""
    now = clock.utcnow()
    query = (_with_roster(StateRegistration.select())
             .where(StateRegistration.status == "pending")
             .order_by(StateRegistration.submitted_at, StateRegistration.id))
    return [QueueRow(row, row.roster_entry, now) for row in query]


def queue_row(registration_id):
    """One state registration as a queue row (whatever its status), or None."""
    row = _with_roster(StateRegistration.select()).where(StateRegistration.id == registration_id).first()
    return QueueRow(row, row.roster_entry, clock.utcnow()) if row else None


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


# Roster upload.

def read_roster_upload(stream):
    """The text of an uploaded roster file, or RosterError saying why it cannot be read."""
    limit = current_app.config["ROSTER_UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        size = f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} KB"
        raise roster.RosterError([f"The file is larger than {size}; split it into smaller files."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise roster.RosterError(["The file is not UTF-8 text; save it from your spreadsheet "
                                        "as \"CSV UTF-8\" and try again."]) from error


def upload_roster(stream, staff_user, client_address=""):
    """Import an uploaded roster all or nothing — the CLI's own import; returns (added, updated, unchanged)."""
    named = f"by {staff_user.user_name}"
    try:
        text = read_roster_upload(stream)
        with write_transaction():
            added, updated, unchanged = roster.import_roster(text)
            record_event("roster imported", None, client_address,
                         f"{added} added, {updated} updated, {unchanged} unchanged, {named}")
    except csv.Error as error:
        problem = roster.RosterError([f"The file cannot be read as CSV: {error}"])
        record_event("roster upload refused", None, client_address, f"not a CSV file, {named}")
        raise problem from error
    except roster.RosterError as error:
        record_event("roster upload refused", None, client_address,
                     f"{len(error.problems)} bad line(s), {named}")
        raise
    return added, updated, unchanged
