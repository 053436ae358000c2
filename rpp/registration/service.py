"""Registration rules: roster, duplicates, drafts between Continue and Submit, the activation promise."""
import csv
import io
import json
import re
import secrets
from datetime import timedelta

import holidays
from flask import current_app
from peewee import IntegrityError

from .. import clock, outbox
from ..events import record_event
from ..extensions import write_transaction
from ..models import Account, RegistrationDraft, RosterEntry, StateRegistration
from ..passwords import hash_password
from ..states import BCBS_STATES, PRODUCER_SERVICES

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
    if StateRegistration.select().where(StateRegistration.state == state,
                                        StateRegistration.agent_id == agent_id).exists():
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


def expected_activation(submitted_at):
    """Next business day, same clock time, in the portal's time zone (weekends and US federal holidays skipped)."""
    moment = clock.local(submitted_at)
    us_holidays = holidays.US(years=range(moment.year, moment.year + 2))
    day = moment.date() + timedelta(days=1)
    while day.weekday() >= 5 or day in us_holidays:
        day += timedelta(days=1)
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
    """Activate pending registrations and queue the guide's activation e-mail for each."""
    account, rows = pending_registrations(user_name, state)
    with write_transaction():
        for registration in rows:
            decide(registration, "active")
            record_event("registration activated", account, client_address,
                         f"{registration.state}" + (f" by {by}" if by else ""))
            outbox.queue(registration.email, "Retail Producer Portal Registration Activation",
                         "activation", registration=registration, account=account,
                         number=PRODUCER_SERVICES[registration.state])
    return rows


def reject(user_name, state, reason, by="", client_address=""):
    """Reject one state's pending registration, with a reason, and tell the producer."""
    if not (reason or "").strip():
        raise ActivationError("A reason is required to reject a registration.")
    account, rows = pending_registrations(user_name, state)
    registration = rows[0]
    with write_transaction():
        decide(registration, "rejected", reason.strip())
        record_event("registration rejected", account, client_address,
                     f"{registration.state}: {reason.strip()}" + (f" (by {by})" if by else ""))
        outbox.queue(registration.email, "Retail Producer Portal Registration Not Activated",
                     "rejection", registration=registration, account=account, reason=reason.strip(),
                     number=PRODUCER_SERVICES[registration.state])
    return registration


def decide(registration, status, reason=None):
    """Move a pending registration to active or rejected."""
    registration.status = status
    registration.decided_at = clock.utcnow()
    registration.rejection_reason = reason
    registration.save()
