"""Confirm it's you: the Current Password a signed-in producer gives for a sensitive change (the e-mail
address, the password, two-step verification, passkeys), judged by rpp.judge. Edit Profile's areas
(account, twostep, passkeys) all ask here."""
from dataclasses import dataclass

from . import messages
from .judge import Credential, judge
from .lockout import SignInOutcome
from .passwords import verify_password

WRONG_CURRENT_PASSWORD = messages.lazy_text("password.wrong_current")


@dataclass(frozen=True)
class Refusal:
    """Why a change to the account was refused: a field and its message, or the lockout (every session ended)."""
    field: str = None
    message: str = None
    locked: bool = False


def current_password_ok(login_session, password):
    """The account's password, or the temporary one this session was signed in with."""
    temporary_hash = login_session.temporary_password_hash
    password_ok = verify_password(login_session.account.password_hash, password)
    temporary_ok = bool(temporary_hash) and verify_password(temporary_hash, password)
    return password_ok or temporary_ok


def confirm_it_is_you(login_session, password, client_address, refused_event, where, field="current_password",
                      also=None):
    """The Current Password that confirms a sensitive change (and `also()`, e.g. a Verification Code), judged
    by rpp.judge: a wrong one counts toward the lockout, so a stolen session cannot keep guessing. None when
    right; else a Refusal beside `field` (or beside "code" when only `also` failed), or the lockout, which
    ended every session."""
    checked = {}

    def check():
        checked["password"] = current_password_ok(login_session, password)
        return checked["password"] and (also is None or also())

    verdict = judge(login_session.account, Credential.CURRENT_PASSWORD, check, client_address,
                    refused_event=refused_event, where=where)
    if verdict.ok:
        return None
    if verdict.outcome is SignInOutcome.LOCKED:
        return Refusal(locked=True)
    return Refusal(field, WRONG_CURRENT_PASSWORD) if not checked.get("password") else Refusal("code")
