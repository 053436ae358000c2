"""Staff sign-in and sessions: the password judged by rpp.judge (the producers' atomic lockout), then a
server-side staff session whose token is all the browser keeps."""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from .. import clock, idle
from ..auth import service as auth
from ..events import record_event
from ..extensions import write_transaction
from ..judge import Credential, judge, judge_unknown_name
from ..lockout import STAFF_SIGN_IN_OUTCOME_KEY, SignInOutcome
from ..models import StaffSession, StaffUser
from ..passwords import bounded, dummy_hash, verify_password
from ..twostep import service as two_step
from .staff_users import find_staff_user


@dataclass
class StaffLogin:
    """What a staff login attempt came to, with the staff user when one signed in or was refused."""
    outcome: SignInOutcome
    staff_user: StaffUser = None


@bounded
def authenticate(user_name, password, client_address=""):
    """The first step of a staff sign-in: user name and password, judged by rpp.judge (the producers'
    atomic lockout, per name typed). A disabled staff user is refused even with the right password."""
    password = password or ""
    staff_user = find_staff_user(user_name)
    if staff_user is None:
        verdict = judge_unknown_name("staff", (user_name or "").strip().lower(),
                                     lambda: verify_password(dummy_hash(), password), client_address)
        return StaffLogin(verdict.outcome)
    verdict = judge(staff_user, Credential.PASSWORD, lambda: verify_password(staff_user.password_hash, password),
                    client_address, more_follows=two_step.is_enabled(staff_user))
    if verdict.ok and staff_user.disabled:
        record_event("staff login refused: disabled", None, client_address, f"staff user {staff_user.user_name}")
        return StaffLogin(SignInOutcome.DISABLED, staff_user)
    if verdict.ok:
        auth.upgrade_hash(staff_user, password)
    return StaffLogin(verdict.outcome, staff_user)


def start_session(staff_user, client_address=""):
    """A new server-side staff session; its token is all the browser keeps. None when the staff user was
    disabled or locked while signing in (the sign-in page says so)."""
    now = clock.utcnow()
    with write_transaction():
        staff_user = StaffUser.get_by_id(staff_user.id)  # as it is now, not as the sign-in began
        if staff_user.disabled or staff_user.is_locked(now):
            return None
        StaffSession.delete().where(StaffSession.expires_at <= now).execute()
        staff_session = StaffSession.create(
            token=secrets.token_urlsafe(32), staff_user=staff_user, client_address=client_address,
            expires_at=now + timedelta(hours=current_app.config["STAFF_SESSION_HOURS"]), last_active_at=now)
        record_event("staff login", None, client_address, f"staff user {staff_user.user_name}")
    return staff_session


def load_session(token):
    """The live staff session for this token (with its staff user), or None: ended, expired, its staff user
    disabled, or unused for STAFF_SESSION_IDLE_MINUTES (then it ends, and `idle` says so)."""
    if not token:
        return None
    now = clock.utcnow()
    staff_session = (StaffSession.select(StaffSession, StaffUser).join(StaffUser)
                     .where(StaffSession.token == token, StaffSession.expires_at > now,
                            StaffUser.disabled == False)  # noqa: E712  (peewee's SQL comparison)
                     .first())
    if staff_session is None:
        return None
    if not idle.still_active(StaffSession, staff_session, current_app.config["STAFF_SESSION_IDLE_MINUTES"], now,
                             STAFF_SIGN_IN_OUTCOME_KEY):
        return None
    return staff_session


def stay_signed_in(staff_session):
    """Stay signed in: the staff session is used now, so the idle limit starts again."""
    idle.extend(StaffSession, staff_session, clock.utcnow())


def end_session(staff_session, client_address=""):
    """Staff logout: the session row goes, so a replayed cookie signs no one in."""
    with write_transaction():
        StaffSession.delete().where(StaffSession.token == staff_session.token).execute()
        record_event("staff logout", None, client_address, f"staff user {staff_session.staff_user.user_name}")
