"""Registration rules: who may register (roster, duplicates) and submitting a draft, all or nothing.

One service for Register for the Portal (a new account) and Register for Another State (the
signed-in account). Drafts are in `drafts`, the roster import in `roster`, activation and
rejection in `activation`.
"""
from dataclasses import dataclass
from datetime import datetime

from peewee import IntegrityError

from .. import clock, messages
from ..events import record_event
from ..extensions import write_transaction
from ..languages import page_language
from ..models import HOLDS_AGENT_ID, Account, RosterEntry, StateRegistration
from ..states import BCBS_STATES
from . import drafts

USER_NAME_TAKEN = messages.lazy_text("registration.user_name_taken")


class RegistrationRefused(Exception):
    """Submit Registration found that the draft can no longer be stored as it is: `message` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class UserNameTaken(RegistrationRefused):
    """Someone registered this user name (ignoring case) first."""

    def __init__(self):
        super().__init__(USER_NAME_TAKEN)


class AgentIdRefused(RegistrationRefused):
    """This state's Agent Unique ID is not on the roster, or someone registered it first."""

    def __init__(self, state, message):
        super().__init__(message)
        self.state = state


class StatesAlreadyRegistered(RegistrationRefused):
    """The account registered some of the draft's states meanwhile (e.g. in another tab)."""

    def __init__(self, states):
        names = ", ".join(messages.state_name(code) for code in sorted(states))
        super().__init__(messages.text("registration.states_already_registered", states=names))
        self.states = states


class AlreadySubmitted(Exception):
    """Another Submit of this draft stored it first (a second click, a second tab): the work is done."""

    def __init__(self, submitted_at):
        super().__init__(f"submitted at {submitted_at}")
        self.submitted_at = submitted_at


class DraftGone(Exception):
    """The draft expired between loading it and Submit Registration: nothing was stored."""


@dataclass(frozen=True)
class Submission:
    """A stored registration: the account (new or existing) and when its states were submitted."""
    account: Account
    submitted_at: datetime


def user_name_taken(user_name):
    """Whether an account already has this user name, ignoring case."""
    return Account.select().where(Account.user_name_key == user_name.lower()).exists()


def open_states(account):
    """The BCBS states this account may register for, in the guide's order: those it has no
    registration in, or only a rejected or revoked one."""
    held = {row.state for row in StateRegistration.select(StateRegistration.state)
            .where(StateRegistration.account == account, StateRegistration.status.in_(HOLDS_AGENT_ID))}
    return [code for code in BCBS_STATES if code not in held]


def latest_details(account, names):
    """These fields of the account's most recent registration (what Register for Another State and
    Register Again start from, so nothing is typed twice), or None when it has none."""
    row = (StateRegistration.select().where(StateRegistration.account == account)
           .order_by(StateRegistration.submitted_at.desc(), StateRegistration.id.desc()).first())
    return None if row is None else {name: getattr(row, name) for name in names}


def agent_id_registered_message(state):
    return messages.text("registration.agent_id_registered", state=messages.state_name(state))


def agent_id_problem(state, agent_id):
    """Why this Agent Unique ID cannot register in this state, or None."""
    if not RosterEntry.select().where(RosterEntry.state == state, RosterEntry.agent_id == agent_id).exists():
        return messages.text("registration.agent_id_not_on_roster", state=messages.state_name(state))
    if StateRegistration.select().where(StateRegistration.state == state, StateRegistration.agent_id == agent_id,
                                        StateRegistration.status.in_(HOLDS_AGENT_ID)).exists():
        return agent_id_registered_message(state)
    return None


def submit(draft, client_address=""):
    """Store the draft's states as pending, on a new account or on the one the draft names, all or
    nothing; ends the draft. Raises AlreadySubmitted, DraftGone or a RegistrationRefused."""
    states = draft.fields["states"]
    submitted_at = clock.utcnow()
    try:
        with write_transaction():
            # Ending the draft first makes every other Submit of it (racing or later) a no-op.
            if not drafts.end_draft(draft.token, submitted_at):
                done_at = drafts.submitted_at(draft.token)
                raise AlreadySubmitted(done_at) if done_at else DraftGone()
            account = draft_account(draft)
            add_state_registrations(account, states, submitted_at)
            record_event("registration submitted", account, client_address, ", ".join(sorted(states)))
    except IntegrityError as error:
        raise UserNameTaken() from error
    return Submission(account, submitted_at)


def draft_account(draft):
    """The account the draft names (Register for Another State) or a new one (Register for the Portal), which
    keeps the page's language for the e-mails to come."""
    fields = draft.fields["account"]
    if "account_id" in fields:
        return Account.get_by_id(fields["account_id"])
    if user_name_taken(fields["user_name"]):
        raise UserNameTaken()
    return Account.create(user_name=fields["user_name"], user_name_key=fields["user_name"].lower(),
                          first_name=fields["first_name"], last_name=fields["last_name"],
                          password_hash=draft.password_hash, language=page_language())


def add_state_registrations(account, state_fields, submitted_at):
    """Pending registrations for the given states; a rejected or revoked one of the account's becomes
    the new pending one (its reason and decision cleared). Call inside a transaction."""
    rows = {row.state: row for row in StateRegistration.select().where(
        StateRegistration.account == account, StateRegistration.state.in_(list(state_fields)))}
    already = {state for state, row in rows.items() if row.status in HOLDS_AGENT_ID}
    if already:
        raise StatesAlreadyRegistered(already)
    for state, values in state_fields.items():
        problem = agent_id_problem(state, values["agent_id"])
        if problem:
            raise AgentIdRefused(state, problem)
        try:
            if state in rows:
                (StateRegistration.update(status="pending", submitted_at=submitted_at, decided_at=None,
                                          rejection_reason=None, revoked_at=None, **values)
                 .where(StateRegistration.id == rows[state].id).execute())
            else:
                StateRegistration.create(account=account, state=state, submitted_at=submitted_at, **values)
        except IntegrityError as error:
            raise AgentIdRefused(state, agent_id_registered_message(state)) from error
