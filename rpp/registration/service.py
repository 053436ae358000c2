"""Registration rules: who may register (roster, duplicates) and submitting a draft, all or nothing.

Drafts are in `drafts`, the roster import in `roster`, activation and rejection in `activation`.
"""
from peewee import IntegrityError

from ..events import record_event
from ..extensions import write_transaction
from ..models import HOLDS_AGENT_ID, Account, RegistrationDraft, RosterEntry, StateRegistration
from ..states import BCBS_STATES

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
