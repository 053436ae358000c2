"""Staff users: created by an admin or `flask staff create`, disabled, enabled, unlocked, their two-step
reset, and their own password changed. The console's pages for them are rpp.staff.users."""
from peewee import IntegrityError

from .. import lockout
from ..events import record_event, record_event_for
from ..extensions import write_transaction
from ..judge import end_pending_sign_ins, end_sessions
from ..messages import text
from ..models import StaffSession, StaffUser, TwoStep
from ..passwords import hash_password
from ..twostep import service as two_step
from ..validators import USER_NAME_PATTERN

STAFF_PASSWORD_MIN = 12
STAFF_PASSWORD_MAX = 128
STAFF_PASSWORD_RULE = text("staff.password_rule", minimum=STAFF_PASSWORD_MIN, maximum=STAFF_PASSWORD_MAX)
STAFF_USER_NAME_RULE = text("staff.user_name_rule")


class StaffUserError(Exception):
    """A staff user that cannot be created as asked."""


def staff_password_problem(password):
    """Why this cannot be a staff password, or None (the producer 6–9 rule does not apply)."""
    if not STAFF_PASSWORD_MIN <= len(password or "") <= STAFF_PASSWORD_MAX:
        return STAFF_PASSWORD_RULE
    return None


def create_staff_user(user_name, password, by="", client_address="", admin=False, initial=False):
    """A new staff user with a hashed password; user names are unique ignoring case. The first staff
    user is an admin; `initial` marks a password an admin chose, to be changed at first sign-in."""
    user_name = (user_name or "").strip()
    if not USER_NAME_PATTERN.fullmatch(user_name):
        raise StaffUserError(STAFF_USER_NAME_RULE)
    problem = staff_password_problem(password)
    if problem:
        raise StaffUserError(problem)
    try:
        with write_transaction():
            role = "admin" if admin or not StaffUser.select().exists() else "clerk"
            staff_user = StaffUser.create(user_name=user_name.lower(), password_hash=hash_password(password),
                                          role=role, must_change_password=initial)
            record_event("staff user created", None, client_address,
                         f"staff user {staff_user.user_name}, {role}" + (f" (by {by})" if by else ""))
    except IntegrityError as error:
        raise StaffUserError(text("staff.user_exists", user_name=user_name.lower())) from error
    return staff_user


def find_staff_user(user_name):
    """The staff user with this user name (staff user names ignore case)."""
    return StaffUser.get_or_none(StaffUser.user_name == (user_name or "").strip().lower())


def staff_users():
    """Every staff user, by user name."""
    return list(StaffUser.select().order_by(StaffUser.user_name))


def staff_users_with_two_step():
    """The ids of the staff users whose two-step verification is on."""
    return {row.staff_user_id for row in TwoStep.select(TwoStep.staff_user)
            .where(TwoStep.staff_user.is_null(False), TwoStep.enabled_at.is_null(False))}


def set_disabled(staff_user, disabled, by, client_address=""):
    """Disable a staff user (their sessions and any sign-in of theirs under way end at once) or enable
    them again."""
    with write_transaction():
        StaffUser.update(disabled=disabled).where(StaffUser.id == staff_user.id).execute()
        if disabled:
            end_pending_sign_ins(staff_user)
            end_sessions(staff_user)
        record_event("staff user disabled" if disabled else "staff user enabled", None, client_address,
                     f"staff user {staff_user.user_name} (by {by.user_name})")


def unlock_staff_user(staff_user, by, client_address=""):
    """Lift a staff user's lockout at once: the console's Unlock (by an admin) and `flask staff unlock`."""
    with write_transaction():
        lockout.clear_count(staff_user)
        record_event("staff user unlocked", None, client_address, f"staff user {staff_user.user_name} (by {by})")


def reset_two_step_of_staff_user(staff_user, by, client_address=""):
    """A staff user lost their phone and recovery codes: two-step goes, their sessions end, and they set it
    up again at their next sign-in. The console's Reset two-step (by an admin) and `flask staff
    reset-two-step`. False when they had none to reset."""
    with write_transaction():
        if not two_step.disable(staff_user):
            return False
        StaffSession.delete().where(StaffSession.staff_user == staff_user).execute()
        record_event_for(staff_user, "two-step reset", client_address, f"by {by}")
    return True


def change_staff_password(staff_session, new_password, client_address=""):
    """Set a staff user's own new password; every other session of theirs ends."""
    staff_user = staff_session.staff_user
    with write_transaction():
        StaffUser.update(password_hash=hash_password(new_password), must_change_password=False).where(
            StaffUser.id == staff_user.id).execute()
        StaffSession.delete().where(StaffSession.staff_user == staff_user,
                                    StaffSession.token != staff_session.token).execute()
        record_event("staff password changed", None, client_address, f"staff user {staff_user.user_name}")
