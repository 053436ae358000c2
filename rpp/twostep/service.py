"""Two-step verification with an authenticator app (TOTP) and single-use recovery codes.

Used by producer accounts and staff users alike: `owner` is an Account or a StaffUser.
"""
import enum
import io
import secrets
from dataclasses import dataclass
from datetime import UTC

import pyotp
import segno

from .. import clock, notices, signin
from ..events import record_event, record_event_for
from ..extensions import write_transaction
from ..judge import Credential, judge
from ..lockout import SignInOutcome
from ..messages import lazy_text, text
from ..models import Account, RecoveryCode, StaffUser, TwoStep
from . import crypto

ISSUER = "Retail Producer Portal"
RECOVERY_CODES = 10
# Recovery codes: ten characters a person can read back without confusing 0/O or 1/I.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class CodeCheck(enum.Enum):
    """What a Verification Code came to."""
    APP = "app"            # a current code from the authenticator app
    RECOVERY = "recovery"  # one of the recovery codes (now used up)
    WRONG = "wrong"


def owner_filter(owner):
    if isinstance(owner, Account):
        return TwoStep.account == owner
    return TwoStep.staff_user == owner


def two_step_for(owner):
    """The owner's authenticator link (set up or half set up), or None."""
    return TwoStep.get_or_none(owner_filter(owner))


def is_enabled(owner):
    """Whether sign-in asks this owner for a Verification Code."""
    return TwoStep.select().where(owner_filter(owner), TwoStep.enabled_at.is_null(False)).exists()


def start_setup(owner):
    """A new secret to link an authenticator app with; a setup already under way keeps its secret."""
    row = two_step_for(owner)
    if row is not None and row.enabled_at is None and crypto.decrypt(row.secret):
        return row
    with write_transaction():
        TwoStep.delete().where(owner_filter(owner), TwoStep.enabled_at.is_null()).execute()
        owner_field = "account" if isinstance(owner, Account) else "staff_user"
        return TwoStep.create(secret=crypto.encrypt(pyotp.random_base32()), **{owner_field: owner})


def setup_key(row):
    """The secret as a person types it: groups of four letters and digits."""
    secret = crypto.decrypt(row.secret)
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(row, label):
    """The otpauth:// link that adds this setup to an authenticator app (the QR code holds the same)."""
    return pyotp.TOTP(crypto.decrypt(row.secret)).provisioning_uri(name=label, issuer_name=ISSUER)


def qr_svg(row, label):
    """The otpauth:// link as an SVG QR code for the authenticator app to scan."""
    out = io.BytesIO()
    segno.make(provisioning_uri(row, label), error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False,
                                    title=text("two_step.qr_code"))
    return out.getvalue()


def normalise(code):
    """What was typed, without spaces and dashes, upper case (recovery codes are case blind)."""
    return "".join((code or "").split()).replace("-", "").upper()


def accept_app_code(row, code, now=None):
    """A current six-digit code (one step of clock drift allowed), each time step only once."""
    if not (len(code) == 6 and code.isdigit()):
        return False
    secret = crypto.decrypt(row.secret)
    if secret is None:
        return False
    totp = pyotp.TOTP(secret)
    # The stored clock is naive UTC; pyotp reads a naive time as local time, so say it is UTC.
    step = totp.timecode((now or clock.utcnow()).replace(tzinfo=UTC))
    for candidate in (step, step - 1, step + 1):
        if candidate > row.last_time_step and secrets.compare_digest(totp.generate_otp(candidate), code):
            # Taking the step in one UPDATE means two requests with the same code cannot both pass.
            with write_transaction():
                taken = (TwoStep.update(last_time_step=candidate)
                         .where(TwoStep.id == row.id, TwoStep.last_time_step < candidate).execute())
            return taken == 1
    return False


def accept_recovery_code(row, code):
    """One unused recovery code, used up in the same UPDATE that accepts it."""
    if len(code) != 10:
        return False
    with write_transaction():
        used = (RecoveryCode.update(used_at=clock.utcnow())
                .where(RecoveryCode.two_step == row.id, RecoveryCode.code_hash == crypto.code_hash(code),
                       RecoveryCode.used_at.is_null()).execute())
    return used == 1


def check_code(row, code, now=None):
    """Check a Verification Code: the app's current code or, in the same field, a recovery code."""
    code = normalise(code)
    if accept_app_code(row, code, now):
        return CodeCheck.APP
    if row.enabled_at is not None and accept_recovery_code(row, code):
        return CodeCheck.RECOVERY
    return CodeCheck.WRONG


def enable(row, code, now=None):
    """Turn two-step on with the first right code; makes the first recovery codes. False if wrong."""
    if not accept_app_code(row, normalise(code), now):
        return False
    with write_transaction():
        TwoStep.update(enabled_at=clock.utcnow()).where(TwoStep.id == row.id).execute()
        new_recovery_codes(row)
    return True


def new_recovery_codes(row):
    """A new set of recovery codes replaces the old one; they are shown once (take_unseen_codes)."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    with write_transaction():
        RecoveryCode.delete().where(RecoveryCode.two_step == row.id).execute()
        RecoveryCode.insert_many([{"two_step": row.id, "code_hash": crypto.code_hash(code)}
                                  for code in codes]).execute()
        TwoStep.update(unseen_recovery_codes=crypto.encrypt(" ".join(codes))).where(
            TwoStep.id == row.id).execute()
    return codes


def take_unseen_codes(owner):
    """The recovery codes not yet shown, as two groups of five letters and digits; never shown again after this."""
    row = two_step_for(owner)
    if row is None or not row.unseen_recovery_codes:
        return None
    with write_transaction():
        taken = TwoStep.update(unseen_recovery_codes=None).where(
            TwoStep.id == row.id, TwoStep.unseen_recovery_codes.is_null(False)).execute()
    if taken != 1:
        return None
    codes = (crypto.decrypt(row.unseen_recovery_codes) or "").split()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(row):
    return RecoveryCode.select().where(RecoveryCode.two_step == row.id, RecoveryCode.used_at.is_null()).count()


def disable(owner):
    """Turn two-step off: the secret and every recovery code go."""
    with write_transaction():
        return TwoStep.delete().where(owner_filter(owner)).execute()


@dataclass
class Status:
    """What Edit Profile says about an owner's two-step verification."""
    enabled: bool
    enabled_at: object = None
    recovery_codes_left: int = 0


def status(owner):
    row = two_step_for(owner)
    if row is None or row.enabled_at is None:
        return Status(False)
    return Status(True, row.enabled_at, recovery_codes_left(row))


# The second step of a sign-in (judged by rpp.judge, for rpp.signin).

def code_matches(row, code):
    """What a Verification Code of a sign-in matched (CodeCheck.APP or RECOVERY), or None."""
    check = check_code(row, code) if row is not None else CodeCheck.WRONG
    return None if check is CodeCheck.WRONG else check


def recovery_code_used(owner, client_address):
    """A recovery code signed in: the event, and a producer is told by e-mail how many are left."""
    record_event_for(owner, "recovery code used", client_address)
    if isinstance(owner, Account):
        notices.notify(owner, lazy_text("email.recovery_code_used"), "recovery_code_used",
                       client_address=client_address, codes_left=recovery_codes_left(two_step_for(owner)))


# Turning it on (producers from Edit Profile, staff at their first sign-in), off, new recovery codes:
# each with its security event and, for a producer, its notice.

def turn_on(owner, row, code, client_address=""):
    """The first right code turns two-step on (event; a producer is also told by e-mail); False if the
    code is wrong."""
    if not enable(row, code):
        return False
    with write_transaction():
        record_event_for(owner, "two-step turned on", client_address)
        if isinstance(owner, Account):
            notices.notify(owner, lazy_text("email.two_step_turned_on"), "two_step_changed", turned_on=True)
    return True


def turn_off(account, client_address=""):
    """Turn two-step off (event, notice by e-mail)."""
    with write_transaction():
        disable(account)
        record_event("two-step turned off", account, client_address)
        notices.notify(account, lazy_text("email.two_step_turned_off"), "two_step_changed", turned_on=False)


def replace_recovery_codes(account, row, client_address=""):
    """A new set of recovery codes (the old ones stop working), with its event."""
    new_recovery_codes(row)
    record_event("recovery codes replaced", account, client_address)


# A sign-in in progress (rpp.signin): what it owes, and its Verification Code step.

def steps_owed(owner, temporary=False):
    """The steps (rpp.signin) a sign-in of `owner` still owes after a right first step, in order. `temporary`: the
    first step was a temporary password."""
    enabled = is_enabled(owner)
    steps = [signin.CODE] if enabled else []
    if isinstance(owner, StaffUser):
        steps += [signin.CHANGE_PASSWORD] if owner.must_change_password else []
        steps += [] if enabled else [signin.STAFF_SET_UP]
    elif temporary:
        steps.append(signin.CHANGE_PASSWORD)
    return steps


def verify_sign_in_code(pending, code, client_address=""):
    """The Verification Code (or a recovery code) of a pending sign-in, judged by rpp.judge: wrong ones
    count toward the lockout like wrong passwords. Returns SignInOutcome.OK, MISMATCH or LOCKED."""
    owner = signin.owner_of(pending)
    verdict = judge(owner, Credential.CODE, lambda: code_matches(two_step_for(owner), code),
                    client_address)
    if verdict.outcome is SignInOutcome.LOCKED:
        signin.drop()
        return verdict.outcome
    if not verdict.ok:
        return verdict.outcome
    if not signin.take(pending):  # the same code sent twice at once: one sign-in
        return SignInOutcome.LOCKED if owner.is_locked() else SignInOutcome.MISMATCH
    if verdict.matched is CodeCheck.RECOVERY:
        recovery_code_used(owner, client_address)
    return SignInOutcome.OK
