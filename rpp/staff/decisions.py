"""Decisions on state registrations from the console: one at a time on the producer's page, or
Activate Selected / Reject Selected on the queue.

Activation, rejection and revocation are the CLI's own functions (rpp.registration.activation);
this module adds who decided and what staff see afterwards.
"""
from dataclasses import dataclass

from .. import clock
from ..models import Account, StateRegistration
from ..registration import activation
from . import queue


def queue_row(registration_id):
    """One state registration as a queue row (whatever its status), or None."""
    row = queue.with_roster(StateRegistration.select().join(Account)).where(
        StateRegistration.id == registration_id).first()
    return queue.QueueRow(row, row.roster_entry, clock.utcnow()) if row else None


def activate_registration(row, staff_user, client_address=""):
    """Activate this pending registration and send its e-mail — the CLI's own activate()."""
    activation.activate(row.account.user_name, row.registration.state, by=staff_user.user_name,
                        client_address=client_address)


def reject_registration(row, reason, staff_user, client_address=""):
    """Reject this pending registration with a reason — the CLI's own reject()."""
    activation.reject(row.account.user_name, row.registration.state, reason, by=staff_user.user_name,
                      client_address=client_address)


def revoke_registration(row, reason, staff_user, client_address=""):
    """Revoke this active registration with a reason; its Agent Unique ID is free again."""
    activation.revoke(row.registration, reason, by=staff_user.user_name, client_address=client_address)


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
