"""Registration rules: roster, duplicates, drafts between Continue and Submit, the activation promise."""
import csv
import enum
import functools
import io
import json
import logging
import re
import secrets
from datetime import timedelta

import holidays
from flask import current_app
from peewee import DatabaseError, IntegrityError

from .. import clock, outbox
from ..events import record_event
from ..extensions import db, write_transaction
from ..models import HOLDS_AGENT_ID, Account, RegistrationDraft, RosterEntry, StateRegistration
from ..passwords import hash_password
from ..states import BCBS_STATES, PRODUCER_SERVICES

log = logging.getLogger(__name__)
USER_NAME_TAKEN = "This User Name is already taken. Please choose another User Name."


class DuplicateRegistration(Exception):
    """The user name or an Agent Unique ID was registered by someone else first."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def user_name_taken(user_name):
    """Whether an account already has this user name, ignoring case."""
    return Account.select().where(Account.user_name_key == user_name.lower()).exists()


def agent_id_registered_message(state):
    return (f"This Agent Unique ID is already registered for {BCBS_STATES[state]}. "
            "Please do NOT register more than one time.")


def agent_id_problem(state, agent_id):
    """Why this Agent Unique ID cannot register in this state, or None."""
    if not RosterEntry.select().where(RosterEntry.state == state, RosterEntry.agent_id == agent_id).exists():
        return (f"This Agent Unique ID is not on the {BCBS_STATES[state]} roster. Please check the "
                "nine-digit number in your \"Welcome\" e-mail.")
    if StateRegistration.select().where(StateRegistration.state == state, StateRegistration.agent_id == agent_id,
                                        StateRegistration.status.in_(HOLDS_AGENT_ID)).exists():
        return agent_id_registered_message(state)
    return None


# Drafts: what the producer entered, kept server-side between Continue and Submit.

def save_draft(token, account_fields, state_fields, password=None):
    """Keep a checked registration until Submit; returns the draft's token.

    Register for Another State has no password: its draft keeps an empty hash.
    """
    data = json.dumps({"account": account_fields, "states": state_fields})
    password_hash = hash_password(password) if password is not None else ""
    expired = clock.utcnow() - timedelta(hours=current_app.config["REGISTRATION_DRAFT_HOURS"])
    with write_transaction():
        RegistrationDraft.delete().where(RegistrationDraft.created_at < expired).execute()
        if token:
            RegistrationDraft.delete().where(RegistrationDraft.token == token).execute()
        token = secrets.token_urlsafe(32)
        RegistrationDraft.create(token=token, data=data, password_hash=password_hash)
    return token


def load_draft(token):
    """The draft for this token, or None when there is none (or it expired)."""
    if not token:
        return None
    expired = clock.utcnow() - timedelta(hours=current_app.config["REGISTRATION_DRAFT_HOURS"])
    return RegistrationDraft.get_or_none(RegistrationDraft.token == token,
                                         RegistrationDraft.created_at >= expired)


def submit_registration(draft, client_address=""):
    """Store the account and its state registrations as pending, all or nothing; ends the draft."""
    fields = draft.fields
    account_fields = fields["account"]
    try:
        with write_transaction():
            # Deleting the draft first makes a second Submit of the same draft a no-op.
            if RegistrationDraft.delete().where(RegistrationDraft.token == draft.token).execute() != 1:
                raise DuplicateRegistration("draft", "This registration has already been submitted.")
            if user_name_taken(account_fields["user_name"]):
                raise DuplicateRegistration("user_name", USER_NAME_TAKEN)
            account = Account.create(
                user_name=account_fields["user_name"],
                user_name_key=account_fields["user_name"].lower(),
                first_name=account_fields["first_name"],
                last_name=account_fields["last_name"],
                password_hash=draft.password_hash)
            add_state_registrations(account, fields["states"])
            record_event("registration submitted", account, client_address,
                         ", ".join(sorted(fields["states"])))
    except IntegrityError as error:
        raise DuplicateRegistration("user_name", USER_NAME_TAKEN) from error
    return account


def add_state_registrations(account, state_fields):
    """Pending registrations for the given states; call inside a transaction."""
    for state, values in state_fields.items():
        problem = agent_id_problem(state, values["agent_id"])
        if problem:
            raise DuplicateRegistration(f"{state}-agent_id", problem)
        try:
            StateRegistration.create(account=account, state=state, **values)
        except IntegrityError as error:
            raise DuplicateRegistration(f"{state}-agent_id", agent_id_registered_message(state)) from error


@functools.lru_cache(maxsize=16)
def us_federal_holidays(year):
    """US federal holidays of `year` and the next (building them is slow; a queue page asks 100 times)."""
    return holidays.US(years=(year, year + 1))


def next_business_day(day):
    """The first day after `day` that is neither a weekend nor a US federal holiday."""
    us_holidays = us_federal_holidays(day.year)
    day += timedelta(days=1)
    while day.weekday() >= 5 or day in us_holidays:
        day += timedelta(days=1)
    return day


def expected_activation(submitted_at):
    """Next business day, same clock time, in the portal's time zone (weekends and US federal holidays skipped)."""
    moment = clock.local(submitted_at)
    day = next_business_day(moment.date())
    return moment.replace(year=day.year, month=day.month, day=day.day)


# Roster import.

class RosterError(Exception):
    """A roster file with bad lines: nothing was imported."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_roster(text):
    """The rows of a roster CSV (state,agent_id[,first_name,last_name]), or RosterError listing every bad line."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "state" not in header or "agent_id" not in header:
        raise RosterError(["line 1: the header must name the columns state,agent_id "
                           "(optionally first_name,last_name)"])
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        state = (raw.get("state") or "").strip().upper()
        agent_id = (raw.get("agent_id") or "").strip()
        first = (raw.get("first_name") or "").strip() or None
        last = (raw.get("last_name") or "").strip() or None
        if state not in BCBS_STATES:
            problems.append(f"line {line}: state {state or '(empty)'!r} is not one of {', '.join(BCBS_STATES)}")
        if not re.fullmatch(r"[0-9]{9}", agent_id):
            problems.append(f"line {line}: agent_id {agent_id or '(empty)'!r} is not exactly 9 digits")
        for label, value in (("first_name", first), ("last_name", last)):
            if value and len(value) > 50:
                problems.append(f"line {line}: {label} is longer than 50 characters")
        key = (state, agent_id)
        if key in seen:
            problems.append(f"line {line}: {state} {agent_id} repeats line {seen[key]}")
        seen[key] = line
        rows.append({"state": state, "agent_id": agent_id, "first_name": first, "last_name": last})
    if problems:
        raise RosterError(problems)
    return rows


def import_roster(text):
    """Import a roster CSV all or nothing; returns (added, updated, unchanged)."""
    rows = parse_roster(text)
    added = updated = unchanged = 0
    with write_transaction():
        for row in rows:
            entry = RosterEntry.get_or_none(RosterEntry.state == row["state"],
                                            RosterEntry.agent_id == row["agent_id"])
            if entry is None:
                RosterEntry.create(**row)
                added += 1
            elif (entry.first_name, entry.last_name) != (row["first_name"], row["last_name"]):
                entry.first_name, entry.last_name = row["first_name"], row["last_name"]
                entry.save()
                updated += 1
            else:
                unchanged += 1
    return added, updated, unchanged


# Activation by Producer Services.

class ActivationError(Exception):
    """Nothing to activate or reject as asked."""


def pending_registrations(user_name, state=None):
    """The account's pending state registrations (or that one state's)."""
    account = Account.get_or_none(Account.user_name_key == (user_name or "").lower())
    if account is None:
        raise ActivationError(f"No account with the user name {user_name!r}.")
    query = StateRegistration.select().where(StateRegistration.account == account,
                                             StateRegistration.status == "pending")
    if state:
        query = query.where(StateRegistration.state == state.upper())
    rows = list(query.order_by(StateRegistration.state))
    if not rows:
        where = f" in {BCBS_STATES.get(state.upper(), state)}" if state else ""
        raise ActivationError(f"{account.user_name} has no pending registration{where}.")
    return account, rows


def activate(user_name, state=None, by="", client_address=""):
    """Activate an account's pending registrations (or one state's); one e-mail lists them all."""
    account, rows = pending_registrations(user_name, state)
    outcomes = activate_registrations(rows, by, client_address)
    failed = [row for row in rows if outcomes[row.id] is not Decision.DONE]
    if failed:
        raise ActivationError(f"{account.user_name} in {', '.join(r.state for r in failed)} "
                              "could not be activated; nothing was sent for them. Please try again.")
    return rows


class Decision(enum.Enum):
    """What became of one registration in a (bulk) activation or rejection."""
    DONE = "done"
    NOT_PENDING = "not pending"  # someone decided it first
    FAILED = "failed"  # the database refused; nothing changed for this one


def activate_registrations(rows, by="", client_address=""):
    """Activate each pending registration (one savepoint and one event each) and queue one activation
    e-mail per producer and address listing every state activated together; {id: Decision}."""
    outcomes = {}
    batches = {}
    for row in rows:
        batches.setdefault((row.account_id, row.email), []).append(row)
    for batch in batches.values():
        try:
            with write_transaction():
                activated = [row for row in batch if decide_one(row, "active", by, client_address, outcomes)]
                if activated:
                    outbox.queue(batch[0].email, "Retail Producer Portal Registration Activation",
                                 "activation", registrations=activated, account=activated[0].account,
                                 numbers={row.state: PRODUCER_SERVICES[row.state] for row in activated})
        except DatabaseError:
            log.exception("activation of %s failed", [row.id for row in batch])
            outcomes.update({row.id: Decision.FAILED for row in batch})
    outbox.deliver_pending()
    return outcomes


def decide_one(row, status, by, client_address, outcomes, reason=None):
    """Move one registration from pending to `status` in its own savepoint; record what became of it."""
    try:
        with db.atomic():
            changed = (StateRegistration
                       .update(status=status, decided_at=clock.utcnow(), rejection_reason=reason)
                       .where(StateRegistration.id == row.id, StateRegistration.status == "pending")
                       .execute())
            if changed:
                if status == "active":
                    record_event("registration activated", row.account, client_address,
                                 row.state + (f" by {by}" if by else ""))
                else:
                    record_event("registration rejected", row.account, client_address,
                                 f"{row.state}: {reason}" + (f" (by {by})" if by else ""))
    except DatabaseError:
        log.exception("registration %s could not be set %s", row.id, status)
        outcomes[row.id] = Decision.FAILED
        return False
    outcomes[row.id] = Decision.DONE if changed else Decision.NOT_PENDING
    return bool(changed)


def reject(user_name, state, reason, by="", client_address=""):
    """Reject one state's pending registration, with a reason, and tell the producer."""
    if not (reason or "").strip():
        raise ActivationError("A reason is required to reject a registration.")
    account, rows = pending_registrations(user_name, state)
    if reject_registrations(rows[:1], reason, by, client_address)[rows[0].id] is not Decision.DONE:
        raise ActivationError(f"{account.user_name} in {rows[0].state} could not be rejected. Please try again.")
    return rows[0]


def reject_registrations(rows, reason, by="", client_address=""):
    """Reject each pending registration with the same reason, each in its own transaction with its
    event and its e-mail to the producer; {id: Decision}."""
    reason = reason.strip()
    outcomes = {}
    for row in rows:
        try:
            with write_transaction():
                if decide_one(row, "rejected", by, client_address, outcomes, reason):
                    outbox.queue(row.email, "Retail Producer Portal Registration Not Activated",
                                 "rejection", registration=row, account=row.account, reason=reason,
                                 number=PRODUCER_SERVICES[row.state])
        except DatabaseError:
            log.exception("rejection of registration %s failed", row.id)
            outcomes[row.id] = Decision.FAILED
    outbox.deliver_pending()
    return outcomes


def revoke(registration, reason, by="", client_address=""):
    """Revoke an active registration with a reason: the producer is told, and its Agent Unique ID is free."""
    reason = (reason or "").strip()
    if not reason:
        raise ActivationError("A reason is required to revoke a registration.")
    with write_transaction():
        changed = (StateRegistration.update(status="revoked", revoked_at=clock.utcnow(), rejection_reason=reason)
                   .where(StateRegistration.id == registration.id, StateRegistration.status == "active")
                   .execute())
        if not changed:
            raise ActivationError(f"{registration.account.user_name} has no active registration in "
                                  f"{registration.state_name}.")
        record_event("registration revoked", registration.account, client_address,
                     f"{registration.state}: {reason}" + (f" (by {by})" if by else ""))
        outbox.queue(registration.email, "Retail Producer Portal Registration Revoked", "revocation",
                     registration=registration, account=registration.account, reason=reason,
                     number=PRODUCER_SERVICES[registration.state])
    outbox.deliver_pending()
