"""The one judge of every credential a sign-in or a sensitive change presents, for producers and staff.

Password (or a producer's temporary password), Verification Code or recovery code, passkey, and the
Current Password that confirms a sensitive change are all judged here, in the same order: reserve an
attempt on the owner's row (atomic, rpp.lockout: concurrent guesses never check more than the
threshold), check, then give the attempt back or clear the count, or keep it and lock at
LOCKOUT_THRESHOLD; record the event; answer one Verdict. Locking ends the owner's pending sign-ins and,
for a producer, every login session. Callers (auth, staff, twostep, account, passkeys) judge nothing
themselves.
"""
import enum
from dataclasses import dataclass

from flask import current_app

from . import clock, lockout
from .events import record_event, record_event_for
from .extensions import write_transaction
from .lockout import SignInOutcome
from .models import Account, LoginSession, SignInChallenge, StaffSession


class Credential(enum.Enum):
    """What was presented, and so which events a failure records."""
    PASSWORD = "password"                  # the first step of a sign-in (a temporary password too)
    CODE = "code"                          # a Verification Code or a recovery code (the second step)
    PASSKEY = "passkey"                    # both steps at once, proven by the browser
    CURRENT_PASSWORD = "current password"  # a signed-in producer confirming a sensitive change


@dataclass
class Verdict:
    """What a credential came to: OK, MISMATCH or LOCKED; `matched` is what the check answered when it
    matched (e.g. which password, which kind of code)."""
    outcome: SignInOutcome
    owner: object = None
    matched: object = None

    @property
    def ok(self):
        return self.outcome is SignInOutcome.OK


def judge(owner, credential, check, client_address="", *, more_follows=False, unlocking=(), refused_event="",
          where=""):
    """Judge one credential of `owner` (an Account or a StaffUser). `check()` answers something true
    when it matches. `more_follows`: a right first step whose second step is still owed gives its
    attempt back instead of clearing the count, so nobody tries two codes after each right password for
    ever. A Current Password (a change by a signed-in producer) also gives its attempt back when right:
    confirming a change never lifts a count. A match in `unlocking` (a temporary password, which only the
    address on file received) is accepted even while locked, and lifts the lock. `refused_event` and
    `where` name the change refused."""
    if credential is Credential.PASSKEY:
        return judge_passkey(owner, client_address)
    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    attempt = lockout.reserve_attempt(owner, clock.utcnow())
    # A password is checked even past the threshold, so the answer takes as long whatever happened (and a
    # temporary password still opens the lock); a code is not, so no recovery code is used up by a lock.
    locked_out = lockout.is_locked_out(attempt)
    matched = None if locked_out and credential is Credential.CODE else check()
    if matched and matched in unlocking:
        with write_transaction():
            lockout.clear_count(owner)
        return Verdict(SignInOutcome.OK, owner, matched)
    if locked_out:
        record_event_for(owner, "login refused: account locked", client_address,
                         "" if credential is Credential.PASSWORD else credential.value)
        return Verdict(SignInOutcome.LOCKED, owner)
    if matched:
        with write_transaction():
            if more_follows or credential is Credential.CURRENT_PASSWORD:
                lockout.release_attempt(owner)
            else:
                lockout.clear_count(owner)
        return Verdict(SignInOutcome.OK, owner, matched)
    with write_transaction():
        record_failure(owner, credential, client_address, attempt, refused_event)
        if not lockout.locks_now(attempt):
            return Verdict(SignInOutcome.MISMATCH, owner)
        why = (f"unsuccessful Current Password attempts on {where}" if credential is Credential.CURRENT_PASSWORD
               else f"{threshold} unsuccessful login attempts")
        record_event_for(owner, "account locked", client_address, why)
        end_pending_sign_ins(owner)
        if credential is Credential.CURRENT_PASSWORD:  # a stolen session cannot keep guessing
            end_sessions(owner)
    return Verdict(SignInOutcome.LOCKED, owner)


def record_failure(owner, credential, client_address, attempt, refused_event):
    """The event of one wrong credential (the count is in it, but never what was typed)."""
    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    if credential is Credential.CURRENT_PASSWORD:
        record_event_for(owner, refused_event, client_address, "wrong current password")
    elif credential is Credential.CODE:
        record_event_for(owner, "verification code wrong", client_address, f"attempt {attempt} of {threshold}")
    else:
        record_event_for(owner, "login failed", client_address, f"attempt {attempt} of {threshold}")


def judge_passkey(owner, client_address):
    """A proven passkey is both steps: nothing to count, but a locked account is still refused."""
    if owner.is_locked():
        record_event_for(owner, "login refused: account locked", client_address, "passkey")
        return Verdict(SignInOutcome.LOCKED, owner)
    with write_transaction():
        lockout.clear_count(owner)
    return Verdict(SignInOutcome.OK, owner)


def judge_unknown_name(scope, user_name, check, client_address=""):
    """A user name no account (scope "producer") or staff user ("staff") has, as typed: counted and
    locked like a real one, so the lockout tells nobody which names exist. `check()` burns the same
    password checks a real name would. The typed name is left out of the event: people sometimes type
    a password there."""
    attempt = lockout.reserve_name_attempt(scope, user_name, clock.utcnow())
    check()
    prefix, detail = ("staff ", "unknown staff user name") if scope == "staff" else ("", "unknown user name")
    if lockout.is_locked_out(attempt):
        record_event(f"{prefix}login refused: account locked", None, client_address, detail)
        return Verdict(SignInOutcome.LOCKED)
    record_event(f"{prefix}login failed", None, client_address, detail)
    return Verdict(SignInOutcome.LOCKED if lockout.locks_now(attempt) else SignInOutcome.MISMATCH)


def end_pending_sign_ins(owner):
    """A lock (or a disabled staff user): no sign-in of the owner under way can be finished."""
    field = SignInChallenge.account if isinstance(owner, Account) else SignInChallenge.staff_user
    SignInChallenge.delete().where(field == owner).execute()


def end_sessions(owner):
    """Every session of the owner ends (a lock from a signed-in change, a disabled staff user)."""
    if isinstance(owner, Account):
        LoginSession.delete().where(LoginSession.account == owner).execute()
    else:
        StaffSession.delete().where(StaffSession.staff_user == owner).execute()
