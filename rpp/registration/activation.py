"""Activation by Producer Services: the promised time, activate, reject or revoke, and the e-mails that say so.

Each registration is decided on its own (its own savepoint and event), so one that fails or that
someone else decided first never stops the others; a producer gets one activation e-mail listing
every state activated together.
"""
import enum
import functools
import logging
from datetime import timedelta

import holidays
from peewee import DatabaseError

from .. import clock, outbox
from ..events import record_event
from ..extensions import db, write_transaction
from ..messages import lazy_text, text
from ..models import Account, LoginSession, StateRegistration
from ..states import BCBS_STATES, PRODUCER_SERVICES

log = logging.getLogger(__name__)


class ActivationError(Exception):
    """Nothing to activate or reject as asked."""


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


def pending_registrations(user_name, state=None):
    """The account's pending state registrations (or that one state's)."""
    account = Account.get_or_none(Account.user_name_key == (user_name or "").lower())
    if account is None:
        raise ActivationError(text("staff.no_account", user_name=user_name))
    query = StateRegistration.select().where(StateRegistration.account == account,
                                             StateRegistration.status == "pending")
    if state:
        query = query.where(StateRegistration.state == state.upper())
    rows = list(query.order_by(StateRegistration.state))
    if not rows:
        if state:
            raise ActivationError(text("staff.no_pending_in_state", user_name=account.user_name,
                                       state=BCBS_STATES.get(state.upper(), state)))
        raise ActivationError(text("staff.no_pending", user_name=account.user_name))
    return account, rows


def activate(user_name, state=None, by="", client_address=""):
    """Activate an account's pending registrations (or one state's); one e-mail lists them all."""
    account, rows = pending_registrations(user_name, state)
    outcomes = activate_registrations(rows, by, client_address)
    failed = [row for row in rows if outcomes[row.id] is not Decision.DONE]
    if failed:
        raise ActivationError(text("staff.not_activated", user_name=account.user_name,
                                   states=", ".join(row.state for row in failed)))
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
                    outbox.queue(batch[0].email, lazy_text("email.activation"),
                                 "activation", registrations=activated, account=activated[0].account,
                                 numbers={row.state: PRODUCER_SERVICES[row.state] for row in activated})
        except DatabaseError:
            log.exception("activation of %s failed", [row.id for row in batch])
            outcomes.update({row.id: Decision.FAILED for row in batch})
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
        raise ActivationError(text("staff.reason_required"))
    account, rows = pending_registrations(user_name, state)
    if reject_registrations(rows[:1], reason, by, client_address)[rows[0].id] is not Decision.DONE:
        raise ActivationError(text("staff.not_rejected", user_name=account.user_name, state=rows[0].state))
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
                    outbox.queue(row.email, lazy_text("email.rejection"), "registration_closed",
                                 registration=row, account=row.account, reason=reason,
                                 number=PRODUCER_SERVICES[row.state])
        except DatabaseError:
            log.exception("rejection of registration %s failed", row.id)
            outcomes[row.id] = Decision.FAILED
    return outcomes


def end_sessions_without_active_registration(account, client_address=""):
    """Once an account holds no active registration, none of its sessions goes on (call in the transaction)."""
    if StateRegistration.select().where(StateRegistration.account == account,
                                        StateRegistration.status == "active").exists():
        return 0
    ended = LoginSession.delete().where(LoginSession.account == account).execute()
    if ended:
        record_event("sessions ended", account, client_address, f"{ended} session(s): no active registration")
    return ended


def revoke(registration, reason, by="", client_address=""):
    """Revoke an active registration with a reason: the producer is told, and its Agent Unique ID is free."""
    reason = (reason or "").strip()
    if not reason:
        raise ActivationError(text("staff.revoke_reason_required"))
    with write_transaction():
        changed = (StateRegistration.update(status="revoked", revoked_at=clock.utcnow(), rejection_reason=reason)
                   .where(StateRegistration.id == registration.id, StateRegistration.status == "active")
                   .execute())
        if not changed:
            raise ActivationError(text("staff.no_active_in_state", user_name=registration.account.user_name,
                                       state=registration.state_name))
        record_event("registration revoked", registration.account, client_address,
                     f"{registration.state}: {reason}" + (f" (by {by})" if by else ""))
        end_sessions_without_active_registration(registration.account, client_address)
        outbox.queue(registration.email, lazy_text("email.revocation"), "registration_closed", revoked=True,
                     registration=registration, account=registration.account, reason=reason,
                     number=PRODUCER_SERVICES[registration.state])
