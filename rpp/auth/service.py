"""Sign-in rules: case-sensitive match, atomic lockout, temporary passwords, login sessions."""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_login import UserMixin

from .. import clock, idle, passwords
from ..events import record_event
from ..extensions import write_transaction
from ..judge import Credential, judge, judge_unknown_name
from ..lockout import SIGN_IN_OUTCOME_KEY, SignInOutcome
from ..models import CLOSED, Account, LoginSession, StateRegistration, TemporaryPassword
from ..passwords import dummy_hash, hash_password, verify_password
from ..states import BCBS_STATES
from ..twostep import service as two_step


class SignedIn(UserMixin):
    """Who a request is signed in as (Flask-Login's `current_user`): the login session and its account.

    The session is request state: it lives here, never on the Account model.
    """

    def __init__(self, login_session):
        self.login_session = login_session
        self.account = login_session.account

    def get_id(self):
        """Flask-Login keeps the session token, not the account id, in the cookie."""
        return self.login_session.token


@dataclass
class LoginResult:
    """What a login attempt came to, with the account when one signed in or was refused."""
    outcome: SignInOutcome
    account: Account = None
    temporary_password_hash: str = None


def find_account(user_name):
    """The account with exactly this user name (case sensitive), by its indexed lower-case key."""
    account = Account.get_or_none(Account.user_name_key == (user_name or "").lower())
    return account if account is not None and account.user_name == user_name else None


# What a producer's password matched: the account's password, or the temporary one Reset Password sent.
PASSWORD, TEMPORARY = "password", "temporary password"


@passwords.bounded
def authenticate(user_name, password, client_address=""):
    """The first step of a sign-in: a user name and password (or a temporary password), judged by
    rpp.judge. OK only says the password was right: `complete` decides once every factor is done."""
    password = password or ""
    account = find_account(user_name)
    if account is None:
        verdict = judge_unknown_name("producer", user_name, lambda: [verify_password(dummy_hash(), password)
                                                                   for _ in range(2)], client_address)
        return LoginResult(verdict.outcome)
    temporary = TemporaryPassword.get_or_none(TemporaryPassword.account == account,
                                              TemporaryPassword.expires_at > clock.utcnow())

    def check():
        # Always two checks, so the answer takes as long whatever matched.
        password_ok = verify_password(account.password_hash, password)
        temporary_ok = verify_password(temporary.password_hash if temporary else dummy_hash(), password)
        return TEMPORARY if temporary_ok and temporary else PASSWORD if password_ok else None

    verdict = judge(account, Credential.PASSWORD, check, client_address,
                    more_follows=two_step_enabled(account), unlocking=(TEMPORARY,))
    if verdict.matched == PASSWORD:
        upgrade_hash(account, password)
    return LoginResult(verdict.outcome, account,
                       temporary.password_hash if verdict.matched == TEMPORARY else None)


def upgrade_hash(user, password):
    """A right password hashed with an older method or cost (scrypt before Argon2id): store a
    fresh hash, unless the password changed meanwhile. Producer accounts and staff users."""
    if not passwords.needs_rehash(user.password_hash):
        return
    model = type(user)
    fresh = passwords.hash_password(password)
    with write_transaction():
        model.update(password_hash=fresh).where(model.id == user.id,
                                                model.password_hash == user.password_hash).execute()
    user.password_hash = fresh


def two_step_enabled(account):
    """Whether a Verification Code follows this account's right password."""
    return two_step.is_enabled(account)


def complete(account, client_address="", temporary_password_hash=None):
    """Every factor of a sign-in is done (password, and Verification Code with two-step; or a passkey):
    now the account's standing decides. No active registration: refused (the caller shows the rejection
    reasons and offers Register Again). A temporary password retires the old password at its first
    complete sign-in; it keeps signing in (each time to Change Password) until the password is changed
    or it expires, so a producer who leaves Change Password is never stranded."""
    statuses = {r.status for r in StateRegistration.select(StateRegistration.status)
                .where(StateRegistration.account == account)}
    with write_transaction():
        if "active" not in statuses:
            record_event("login refused: not yet activated", account, client_address,
                         "" if "pending" in statuses else "every registration rejected or revoked")
            return LoginResult(SignInOutcome.NOT_ACTIVATED if "pending" in statuses else SignInOutcome.NOT_REGISTERED,
                               account)
        if temporary_password_hash:
            retired_hash = unknown_password_hash()
            Account.update(password_hash=retired_hash).where(Account.id == account.id).execute()
            account.password_hash = retired_hash
            record_event("temporary password used", account, client_address, "the old password no longer signs in")
    return LoginResult(SignInOutcome.OK, account, temporary_password_hash)


def unknown_password_hash():
    """The hash of a random password nobody knows: what replaces a password that must no longer work."""
    return hash_password(secrets.token_urlsafe(32))


def start_session(account, client_address="", temporary_password_hash=None, user_agent=""):
    """A new login session (a SignedIn); a temporary-password login must change the password first."""
    now = clock.utcnow()
    active = active_states(account)
    with write_transaction():
        # Sessions that expired are of no use to anyone: the account's own go at each login.
        LoginSession.delete().where(LoginSession.account == account, LoginSession.expires_at <= now).execute()
        if temporary_password_hash:
            # A reset ends every other session of the account.
            LoginSession.delete().where(LoginSession.account == account).execute()
        login_session = LoginSession.create(
            token=secrets.token_urlsafe(32), account=account, client_address=client_address,
            expires_at=now + timedelta(hours=current_app.config["LOGIN_SESSION_HOURS"]),
            selected_state=active[0] if len(active) == 1 else None,
            must_change_password=bool(temporary_password_hash),
            temporary_password_hash=temporary_password_hash, user_agent=(user_agent or "")[:300],
            last_active_at=now)
        record_event("login", account, client_address)
    return SignedIn(login_session)


def load_session(token):
    """Who is signed in with this session token (a SignedIn), or None when it ended, expired, or was unused
    for SESSION_IDLE_MINUTES (then it ends here, and the sign-in page says so)."""
    now = clock.utcnow()
    row = (LoginSession.select(LoginSession, Account).join(Account)
           .where(LoginSession.token == token, LoginSession.expires_at > now)
           .first())
    if row is None:
        return None
    if not idle.still_active(LoginSession, row, current_app.config["SESSION_IDLE_MINUTES"], now,
                             SIGN_IN_OUTCOME_KEY):
        return None
    return SignedIn(row)


def stay_signed_in(login_session):
    """Stay signed in: the session is used now, so the idle limit starts again."""
    idle.extend(LoginSession, login_session, clock.utcnow())


def end_session(login_session, client_address=""):
    """Logout: the session row goes, so a replayed cookie no longer signs anyone in."""
    with write_transaction():
        LoginSession.delete().where(LoginSession.token == login_session.token).execute()
        record_event("logout", login_session.account, client_address)


def active_states(account):
    """The BCBS states this account may work in, in the guide's order."""
    states = {r.state for r in StateRegistration.select(StateRegistration.state)
              .where(StateRegistration.account == account, StateRegistration.status == "active")}
    return [code for code in BCBS_STATES if code in states]


def closed_registrations(account):
    """The account's rejected or revoked state registrations, in the guide's order: each with the reason
    Producer Services gave."""
    rows = {r.state: r for r in StateRegistration.select().where(StateRegistration.account == account,
                                                                 StateRegistration.status.in_(CLOSED))}
    return [rows[code] for code in BCBS_STATES if code in rows]


def registrations_by_state(account):
    """The account's state registrations, whatever their status, by BCBS state."""
    return {r.state: r for r in StateRegistration.select().where(StateRegistration.account == account)}


def select_state(login_session, state):
    """Make `state` the context for profile pages of this session."""
    if state not in active_states(login_session.account):
        return False
    LoginSession.update(selected_state=state).where(LoginSession.token == login_session.token).execute()
    login_session.selected_state = state
    return True


def unlock(account, client_address="", by=""):
    """Lift a lockout at once."""
    with write_transaction():
        (Account.update(failed_logins=0, locked_until=None, last_failed_at=None)
         .where(Account.id == account.id).execute())
        record_event("account unlocked", account, client_address, f"by {by}" if by else "")


def passkey_sign_in(account, client_address=""):
    """A proven passkey is both factors (rpp.judge): a locked account is refused, the rest as a password
    sign-in whose code was right."""
    verdict = judge(account, Credential.PASSKEY, None, client_address)
    if not verdict.ok:
        return LoginResult(verdict.outcome, account)
    result = complete(account, client_address)
    if result.outcome is SignInOutcome.OK:
        record_event("login with a passkey", account, client_address)
    return result
