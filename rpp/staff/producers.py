"""Producers in the console: search, and the producer's page with what staff may do there (unlock,
reset two-step, sign out everywhere). Unlock is the CLI's own (rpp.auth.service.unlock)."""
from dataclasses import dataclass

from .. import clock, notices
from ..auth import service as auth
from ..events import record_event
from ..extensions import write_transaction
from ..messages import lazy_text
from ..models import Account, LoginSession, SecurityEvent, StateRegistration
from ..twostep import service as two_step

SEARCH_LIMIT = 50
EVENT_LIMIT = 50


@dataclass
class FoundProducer:
    """A search result: the account with its state registrations, in state order."""
    account: Account
    registrations: list


def search_accounts(query):
    """Producers whose user name, name, Agent ID or e-mail contains the words typed (at most SEARCH_LIMIT)."""
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
    return [FoundProducer(account, registrations.get(account.id, [])) for account in accounts]


def account_registrations(account):
    """The account's state registrations, in state order."""
    return list(StateRegistration.select().where(StateRegistration.account == account)
                .order_by(StateRegistration.state))


def recent_events(account):
    """The account's most recent security events, newest first."""
    return list(SecurityEvent.select().where(SecurityEvent.account == account)
                .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc()).limit(EVENT_LIMIT))


def live_sessions(account):
    """How many browsers the producer is signed in on now."""
    return LoginSession.select().where(LoginSession.account == account,
                                       LoginSession.expires_at > clock.utcnow()).count()


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
