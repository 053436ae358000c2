"""Sign-in rules: case-sensitive match, atomic lockout, temporary passwords, login sessions."""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_login import UserMixin

from .. import clock, passwords
from ..events import record_event
from ..extensions import write_transaction
from ..lockout import (SignInOutcome, clear_count, is_locked_out, locks_now, release_attempt, reserve_attempt,
                       reserve_name_attempt)
from ..models import Account, LoginSession, StateRegistration, TemporaryPassword
from ..passwords import dummy_hash, hash_password, verify_password
from ..states import BCBS_STATES


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


# "Last active" in Where You're Signed In is kept to the minute.
ACTIVITY_RESOLUTION = timedelta(minutes=1)


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


@passwords.bounded
def authenticate(user_name, password, client_address=""):
    """Check a user name and password (or a temporary password) and count failures."""
    now = clock.utcnow()
    password = password or ""
    account = find_account(user_name)
    if account is None:
        return refuse_unknown_name(user_name, password, client_address, now)

    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    attempt = reserve_attempt(account, now)
    temporary = TemporaryPassword.get_or_none(TemporaryPassword.account == account,
                                              TemporaryPassword.expires_at > now)
    # Always two checks, so the answer takes as long whatever matched.
    password_ok = verify_password(account.password_hash, password)
    temporary_ok = verify_password(temporary.password_hash if temporary else dummy_hash(), password)
    temporary_ok = temporary_ok and temporary is not None
    was_locked = is_locked_out(attempt)

    if temporary_ok or (password_ok and not was_locked):
        if password_ok:
            upgrade_hash(account, password)
        return succeed(account, client_address, temporary if temporary_ok else None,
                       code_follows=not temporary_ok and two_step_enabled(account))
    if was_locked:
        record_event("login refused: account locked", account, client_address)
        return LoginResult(SignInOutcome.LOCKED, account)
    record_event("login failed", account, client_address, f"attempt {attempt} of {threshold}")
    if locks_now(attempt):
        record_event("account locked", account, client_address,
                     f"{threshold} unsuccessful login attempts")
        return LoginResult(SignInOutcome.LOCKED, account)
    return LoginResult(SignInOutcome.MISMATCH, account)


def refuse_unknown_name(user_name, password, client_address, now):
    """A name no account has (or a real one in the wrong case): counted and locked like an account."""
    attempt = reserve_name_attempt("producer", user_name, now)
    verify_password(dummy_hash(), password)
    verify_password(dummy_hash(), password)
    # The typed name is left out of the event: people sometimes type a password there.
    if is_locked_out(attempt):
        record_event("login refused: account locked", None, client_address, "unknown user name")
        return LoginResult(SignInOutcome.LOCKED)
    record_event("login failed", None, client_address, "unknown user name")
    return LoginResult(SignInOutcome.LOCKED if locks_now(attempt) else SignInOutcome.MISMATCH)


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
    from ..twostep import service as two_step  # here: the twostep package imports auth's neighbours
    return two_step.is_enabled(account)


def succeed(account, client_address, temporary, code_follows=False):
    """A right password: reset the count; a temporary one also unlocks and is used up. When a Verification
    Code follows (two-step), only this attempt is given back: the count starts again once the code is right
    too, so nobody tries two codes after each right password for ever.

    Using a temporary password retires the old password (it is replaced by the hash of a random
    one nobody knows): until Change Password is done, only this session can set a new one, and
    another reset is the way back in.
    """
    active = (StateRegistration.select()
              .where(StateRegistration.account == account, StateRegistration.status == "active")
              .exists())
    retired_hash = unknown_password_hash() if temporary is not None and active else None
    with write_transaction():
        if code_follows:
            release_attempt(account)
        else:
            clear_count(account)
        if not active:
            record_event("login refused: not yet activated", account, client_address)
            return LoginResult(SignInOutcome.NOT_ACTIVATED, account)
        if temporary is not None:
            TemporaryPassword.delete().where(TemporaryPassword.id == temporary.id).execute()
            Account.update(password_hash=retired_hash).where(Account.id == account.id).execute()
            account.password_hash = retired_hash
            record_event("temporary password used", account, client_address, "the old password no longer signs in")
    return LoginResult(SignInOutcome.OK, account, temporary.password_hash if temporary else None)


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
    """Who is signed in with this session token (a SignedIn), or None when it ended or expired."""
    row = (LoginSession.select(LoginSession, Account).join(Account)
           .where(LoginSession.token == token, LoginSession.expires_at > clock.utcnow())
           .first())
    if row is None:
        return None
    now = clock.utcnow()
    if row.last_active_at is None or now - row.last_active_at > ACTIVITY_RESOLUTION:
        # At most one write a minute per session, so reading pages stays cheap.
        LoginSession.update(last_active_at=now).where(LoginSession.token == token).execute()
        row.last_active_at = now
    return SignedIn(row)


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
        Account.update(failed_logins=0, locked_until=None, last_failed_at=None).where(Account.id == account.id).execute()
        record_event("account unlocked", account, client_address, f"by {by}" if by else "")


def passkey_sign_in(account, client_address=""):
    """A proven passkey counts as both steps; a locked or not yet activated account is still refused."""
    if account.is_locked():
        record_event("login refused: account locked", account, client_address, "passkey")
        return LoginResult(SignInOutcome.LOCKED, account)
    result = succeed(account, client_address, None)
    if result.outcome is SignInOutcome.OK:
        record_event("login with a passkey", account, client_address)
    return result
