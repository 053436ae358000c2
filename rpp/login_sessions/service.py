"""The account's login sessions as the producer sees them, and signing them out."""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from ua_parser import parse

from .. import clock
from ..events import record_event
from ..extensions import write_transaction
from ..models import KnownBrowser, LoginSession

_PRODUCT = re.compile(r"^([A-Za-z][\w.+-]*)(?:/([\w.]+))?")


def public_id(token):
    """A session's name in pages and forms: the token itself is the cookie's secret and never shown."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def describe_browser(user_agent):
    """"Chrome 120 on Windows" from a User-Agent; text browsers by their own name ("w3m 0.5.3")."""
    result = parse(user_agent or "")
    if result.user_agent is not None:
        browser = " ".join(part for part in (result.user_agent.family, result.user_agent.major) if part)
        system = result.os.family if result.os is not None and result.os.family != "Other" else ""
        return f"{browser} on {system}" if system else browser
    match = _PRODUCT.match(user_agent or "")
    if match:
        return " ".join(part for part in match.groups() if part)
    return "Unknown browser"


@dataclass
class SignedInSession:
    """One row of Where You're Signed In."""
    id: str
    browser: str
    client_address: str
    signed_in_at: datetime
    last_active_at: datetime
    current: bool


def account_sessions(account, current_token):
    """The account's live sessions, this one first, then the most recently active."""
    rows = (LoginSession.select()
            .where(LoginSession.account == account, LoginSession.expires_at > clock.utcnow()))
    sessions = [SignedInSession(public_id(row.token), describe_browser(row.user_agent), row.client_address,
                                row.created_at, row.last_active_at or row.created_at,
                                row.token == current_token)
                for row in rows]
    return sorted(sessions, key=lambda s: (not s.current, -s.last_active_at.timestamp()))


def sign_out(account, session_id, current_token, client_address=""):
    """End one other session of the account by its public id; False when there is no such session."""
    for row in LoginSession.select(LoginSession.token).where(LoginSession.account == account):
        if public_id(row.token) == session_id and row.token != current_token:
            with write_transaction():
                LoginSession.delete().where(LoginSession.token == row.token).execute()
                record_event("signed out another session", account, client_address)
            return True
    return False


def sign_out_everywhere_else(account, current_token, client_address=""):
    """End every session of the account but this one; returns how many ended."""
    with write_transaction():
        ended = LoginSession.delete().where(LoginSession.account == account,
                                            LoginSession.token != current_token).execute()
        if ended:
            record_event("signed out everywhere else", account, client_address, f"{ended} session(s)")
    return ended


def remember_browser(account, token):
    """Whether this browser (its long-lived cookie's token) signed in to the account before.

    Returns (new, token): `new` is True for a browser the account has not used before — but not
    for the account's very first browser, which has nothing to be compared with. The token is the
    one to keep in the cookie (a fresh one when the browser had none).
    """
    token = token if token and len(token) <= 64 else secrets.token_urlsafe(32)
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    if KnownBrowser.select().where(KnownBrowser.account == account,
                                   KnownBrowser.token_hash == token_hash).exists():
        return False, token
    with write_transaction():
        first = not KnownBrowser.select().where(KnownBrowser.account == account).exists()
        KnownBrowser.insert(account=account, token_hash=token_hash).on_conflict_ignore().execute()
    return not first, token
