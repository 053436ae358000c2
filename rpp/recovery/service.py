"""Recover Your User Name and Reset Password: the same answer whatever matched, mail through the outbox.

These functions only queue the e-mail (in the transaction that records the request); the mail
relay (rpp.relay) sends it.
"""
import secrets
from datetime import timedelta

from flask import current_app
from limits import parse

from .. import clock, outbox
from ..events import record_event
from ..extensions import limiter, write_transaction
from ..messages import lazy_text, text
from ..models import Account, StateRegistration, TemporaryPassword
from ..passwords import hash_password
from ..states import BCBS_STATES, PRODUCER_SERVICES
from ..twostep import service as two_step

TEMPORARY_PASSWORD_LENGTH = 9
# Letters and digits, without the ones that are easy to misread in an e-mail (0/O, 1/l/I).
TEMPORARY_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
# A rejected registration links no one to anything.
LINKED = ("pending", "active")
QUOTA_REACHED = "hourly e-mail limit reached; no e-mail"
# The temporary-password e-mail's steps (rpp.messages "temporary_password.step.*"), in the order the
# portal takes them after a temporary-password sign-in; "verify" only for an account with two-step on.
TEMPORARY_PASSWORD_STEPS = ("sign_in", "verify", "change_password", "new_password", "confirm", "update")


def generate_temporary_password():
    """Nine letters and digits (at least one of each) from the operating system's secure generator."""
    while True:
        password = "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET)
                           for _ in range(TEMPORARY_PASSWORD_LENGTH))
        if any(ch.isdigit() for ch in password) and any(ch.isalpha() for ch in password):
            return password


def temporary_password_steps(account):
    """The steps the temporary-password e-mail lists: sign in, (Verification Code,) Change Password."""
    skipped = set() if two_step.is_enabled(account) else {"verify"}
    return [text(f"temporary_password.step.{step}") for step in TEMPORARY_PASSWORD_STEPS if step not in skipped]


def same_email(stored, typed):
    """E-mail addresses compare without case or surrounding spaces."""
    return (stored or "").strip().lower() == (typed or "").strip().lower()


def producer_services(accounts):
    """The e-mail's "IL: (888) 313-5526" lines: the Producer Services numbers of the accounts' states."""
    states = {r.state for r in StateRegistration.select(StateRegistration.state).where(
        StateRegistration.account.in_([a.id for a in accounts]), StateRegistration.status.in_(LINKED))}
    return [(code, PRODUCER_SERVICES[code]) for code in BCBS_STATES if code in states]


def registrations_with_agent_id(agent_id):
    """The linked registrations with this Agent Unique ID, through the (state, agent_id) index."""
    return list(StateRegistration.select(StateRegistration, Account).join(Account)
                .where(StateRegistration.state.in_(list(BCBS_STATES)),
                       StateRegistration.agent_id == agent_id,
                       StateRegistration.status.in_(LINKED))
                .order_by(StateRegistration.id))


def within_account_quota(accounts):
    """Whether each of these accounts may get another recovery e-mail this hour; uses one of each quota.

    Only a request that matched an account gets here, so nobody can use up a producer's quota
    with wrong details; a request past it sends nothing and is answered like any other.
    """
    if not limiter.enabled:
        return True
    quota = parse(current_app.config["RECOVERY_LIMIT_PER_ACCOUNT"])
    keys = [str(account.id) for account in accounts]
    if not all(limiter.limiter.test(quota, "recovery-account", key) for key in keys):
        return False
    return all([limiter.limiter.hit(quota, "recovery-account", key) for key in keys])


def recover_user_name(agent_id, email, client_address=""):
    """Queue the user name e-mail when this Agent Unique ID and e-mail address are linked; True if queued."""
    matches = [r for r in registrations_with_agent_id(agent_id) if same_email(r.email, email)]
    accounts = list({r.account.id: r.account for r in matches}.values())
    with write_transaction():
        if not accounts:
            record_event("user name recovery requested", None, client_address, "nothing matched; no e-mail")
            return False
        if not within_account_quota(accounts):
            for account in accounts:
                record_event("user name recovery requested", account, client_address, QUOTA_REACHED)
            return False
        for account in accounts:
            record_event("user name recovery requested", account, client_address)
        outbox.queue(matches[0].email, lazy_text("email.user_name"), "user_name", account=accounts[0],
                     user_names=[a.user_name for a in accounts], numbers=producer_services(accounts))
    return True


def reset_registration(account, email, agent_id):
    """The account's linked registration that matches every identifier given, or None."""
    if account is None:
        return None
    for registration in (StateRegistration.select()
                         .where(StateRegistration.account == account, StateRegistration.status.in_(LINKED))
                         .order_by(StateRegistration.id)):
        if (not email or same_email(registration.email, email)) and \
                (not agent_id or registration.agent_id == agent_id):
            return registration
    return None


def reset_password(user_name, email="", agent_id="", client_address=""):
    """Issue a temporary password to the e-mail on file when the details match; True if queued.

    The new password is hashed whether or not anything matched, so the answer takes as long
    either way. A newer temporary password replaces an older one; the old password keeps
    working until the temporary one is used. Past the account's hourly quota nothing changes.
    """
    if not (email or agent_id):
        raise ValueError("An e-mail address or an Agent Unique ID is required.")
    temporary_password = generate_temporary_password()
    password_hash = hash_password(temporary_password)
    account = Account.get_or_none(Account.user_name_key == (user_name or "").lower())
    registration = reset_registration(account, email, agent_id)
    with write_transaction():
        if registration is None:
            record_event("password reset requested", account, client_address,
                         "details did not match; no e-mail" if account else "unknown user name; no e-mail")
            return False
        if not within_account_quota([account]):
            record_event("password reset requested", account, client_address, QUOTA_REACHED)
            return False
        now = clock.utcnow()
        expires_at = now + timedelta(hours=current_app.config["TEMPORARY_PASSWORD_HOURS"])
        # One statement, so two requests at once still leave exactly one (the newer) password.
        (TemporaryPassword
         .insert(account=account, password_hash=password_hash, created_at=now, expires_at=expires_at)
         .on_conflict(conflict_target=[TemporaryPassword.account],
                      update={TemporaryPassword.password_hash: password_hash,
                              TemporaryPassword.created_at: now, TemporaryPassword.expires_at: expires_at})
         .execute())
        record_event("password reset requested", account, client_address,
                     f"temporary password e-mailed for {registration.state}")
        outbox.queue(registration.email, lazy_text("email.temporary_password"), "temporary_password", account=account,
                     temporary_password=temporary_password, numbers=producer_services([account]),
                     steps=temporary_password_steps(account))
    return True
