"""Gates: rules that decide whether a request reaches its page at all.

- After a temporary-password login, every page but Change Password, Logout and Contact Us leads to
  Change Password (checked before every request).
- With TWO_STEP_REQUIRED, a producer without two-step verification sets it up before anything else
  (after a forced password change, which comes first).
- The Producer Services console lets only a signed-in staff user through (`@staff_required`); one
  with an initial password an admin set reaches only Change your password and Logout until they
  change it, then only Set Up Two-Step Verification until it is on (two-step is required for staff);
  staff users and the roster are for console admins (`@admin_required`).
"""
import functools

from flask import current_app, g, make_response, redirect, request, session, url_for
from flask_login import current_user, login_url

from . import signin
from .extensions import login_manager
from .hypermedia import redirect_after_post, render
from .lockout import SIGN_IN_OUTCOME_KEY, SignInOutcome
from .twostep import service as two_step

# While a temporary password is being replaced, only these answer.
OPEN_DURING_CHANGE = {"account.change_password", "auth.logout", "auth.stay_signed_in", "static", "pages.contact_us",
                      "languages.switch"}
# While two-step verification is being set up (TWO_STEP_REQUIRED), only these answer.
OPEN_DURING_ENROLMENT = {"twostep.set_up", "twostep.qr_code", "twostep.recovery_codes", "account.password_updated",
                         "auth.logout", "auth.stay_signed_in", "static", "pages.contact_us", "languages.switch"}
# The Flask session keeps only this token for the console; producers' Flask-Login keys are never read there.
STAFF_KEY = "staff_session"
# What a staff user with an initial password may reach before changing it.
OPEN_DURING_STAFF_CHANGE = {"staff.change_password", "staff.save_password", "staff.logout", "staff.stay_signed_in"}
# What a staff user without two-step verification may reach before setting it up.
OPEN_DURING_STAFF_ENROLMENT = {"staff.two_step_set_up", "staff.two_step_qr_code", "staff.logout",
                               "staff.stay_signed_in"}


def change_password_first():
    """After a temporary-password login, every page but Change Password, Logout and Contact Us leads there."""
    if request.endpoint in OPEN_DURING_CHANGE or request.endpoint is None:
        return None
    if not (current_user.is_authenticated and current_user.login_session.must_change_password):
        return None
    return redirect_after_post(url_for("account.change_password"))


def two_step_first():
    """With TWO_STEP_REQUIRED, a signed-in producer without two-step sets it up before anything else."""
    if not current_app.config["TWO_STEP_REQUIRED"]:
        return None
    if request.endpoint in OPEN_DURING_ENROLMENT or request.endpoint is None:
        return None
    if not current_user.is_authenticated or current_user.login_session.must_change_password:
        return None
    if two_step.is_enabled(current_user.account):
        return None
    return redirect_after_post(url_for("twostep.set_up"))


def staff_required(view):
    """Only a signed-in staff user gets through; anyone else (producers too) goes to the staff sign-in."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        from .staff import service  # here: the staff package imports this module
        staff_session = service.load_session(session.get(STAFF_KEY))
        if staff_session is None:
            session.pop(STAFF_KEY, None)
            if request.headers.get("HX-Request") == "true":
                response = make_response("", 204)
                response.headers["HX-Redirect"] = url_for("staff.sign_in")
                return response
            return redirect(url_for("staff.sign_in"), 303 if request.method == "POST" else 302)
        g.staff_session, g.staff_user = staff_session, staff_session.staff_user
        first = staff_step_first(g.staff_user)
        if first is not None:
            return redirect_after_post(url_for(first)) if request.method == "POST" else redirect(url_for(first))
        return view(*args, **kwargs)
    return wrapper


def staff_step_first(staff_user):
    """The page a staff user must finish before any other: Change your password after an initial password,
    then Set Up Two-Step Verification (required for staff). None when the request may go on."""
    if staff_user.must_change_password:
        return None if request.endpoint in OPEN_DURING_STAFF_CHANGE else "staff.change_password"
    if request.endpoint in OPEN_DURING_STAFF_ENROLMENT:
        return None
    return None if two_step.is_enabled(staff_user) else "staff.two_step_set_up"


def admin_required(view):
    """Staff users and the roster are for console admins; a clerk gets a page (403) that says so."""
    @staff_required
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.staff_user.is_admin:
            return render("staff/admins_only.html", "staff/_admins_only.html", status=403)
        return view(*args, **kwargs)
    return wrapper


def sign_in_first():
    """A signed-out browser at a producer page goes to the sign-in page, and from there back. One that
    sent a form had its session end meanwhile: the sign-in page says so. htmx follows HX-Redirect."""
    if request.method == "POST":
        if session.get(SIGN_IN_OUTCOME_KEY) != SignInOutcome.IDLE.value:  # the idle limit says so itself
            session[SIGN_IN_OUTCOME_KEY] = SignInOutcome.SESSION_EXPIRED.value
        return redirect_after_post(url_for(login_manager.login_view, next=request.path))
    target = login_url(login_manager.login_view, next_url=request.full_path.rstrip("?"))
    return redirect_after_post(target) if request.headers.get("HX-Request") == "true" else redirect(target)


def init_app(app):
    """Check the change-password and two-step gates before every request; the sign-in page for a
    signed-out browser at a producer page."""
    login_manager.unauthorized_handler(sign_in_first)

    @app.before_request
    def producer_gates():  # one hook for all: each hook costs every request its own call
        return signin.pending_gate() or change_password_first() or two_step_first()
