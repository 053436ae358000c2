"""Gates: rules that decide whether a request reaches its page at all.

- After a temporary-password login, every page but Change Password, Logout and Contact Us leads to
  Change Password (checked before every request).
- With TWO_STEP_REQUIRED, a producer without two-step verification sets it up before anything else
  (after a forced password change, which comes first).
- The Producer Services console has its own gates: rpp.staff.gates.
"""
from flask import current_app, redirect, request, session, url_for
from flask_login import current_user, login_url

from . import signin
from .extensions import login_manager
from .hypermedia import redirect_after_post
from .lockout import SIGN_IN_OUTCOME_KEY, SignInOutcome
from .twostep import service as two_step

# While a temporary password is being replaced, only these answer.
OPEN_DURING_CHANGE = {"account.change_password", "auth.logout", "auth.stay_signed_in", "static", "pages.contact_us",
                      "languages.switch"}
# While two-step verification is being set up (TWO_STEP_REQUIRED), only these answer.
OPEN_DURING_ENROLMENT = {"twostep.set_up", "twostep.qr_code", "twostep.recovery_codes", "account.password_updated",
                         "auth.logout", "auth.stay_signed_in", "static", "pages.contact_us", "languages.switch"}


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
