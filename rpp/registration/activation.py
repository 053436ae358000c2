"""Activation by Producer Services: the promised time, activate or reject, and the e-mail that says so."""
from datetime import timedelta

import holidays

from .. import clock, outbox
from ..events import record_event
from ..extensions import write_transaction
from ..models import Account, StateRegistration
from ..states import BCBS_STATES, PRODUCER_SERVICES


class ActivationError(Exception):
    """Nothing to activate or reject as asked."""


def expected_activation(submitted_at):
    """Next business day, same clock time, in the portal's time zone (weekends and US federal holidays skipped)."""
    moment = clock.local(submitted_at)
    us_holidays = holidays.US(years=range(moment.year, moment.year + 2))
    day = moment.date() + timedelta(days=1)
    while day.weekday() >= 5 or day in us_holidays:
        day += timedelta(days=1)
    return moment.replace(year=day.year, month=day.month, day=day.day)


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
