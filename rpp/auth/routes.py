"""Sign-in page, login, logout, state selection and the signed-in home page."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user
from wtforms.fields.choices import SelectChoice

from .. import notices, signin
from ..client import client_address
from ..errors import refills
from ..extensions import limit_per_address, write_transaction
from ..hypermedia import redirect_after_post, render, safe_next
from ..lockout import SignInOutcome
from ..login_sessions import service as sessions
from ..messages import STATE_NAMES, lazy_text, state_name
from ..registration import again
from ..twostep import pages
from ..twostep import service as two_step
from . import bp, service
from .forms import LoginForm, SelectStateForm

# A long-lived cookie that tells a browser this account has signed in from before (no secret in it).
BROWSER_COOKIE = "rpp_browser"
BROWSER_COOKIE_SECONDS = 400 * 24 * 3600


@bp.route("/")
def sign_in():
    """The sign-in page: Please Sign-In, Register, Forgot User Name?, Reset Password?, Welcome. Coming
    here leaves a sign-in in progress (Back to Login Page): it starts over."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    outcome, user_name = signin.last_outcome(pages.PRODUCER)
    refused = again.returning_producer() if outcome in REFUSED else None
    return render("auth/sign_in.html", "auth/_sign_in.html", form=LoginForm(formdata=None, user_name=user_name),
                  outcome=outcome, closed=service.closed_registrations(refused) if refused else [],
                  next=safe_next(request.args.get("next")))


def login_again():
    """Login sent from an expired page: the sign-in box again, the User Name kept (rpp.errors)."""
    return render("auth/sign_in.html", "auth/_sign_in.html", form=LoginForm(), next=safe_next(request.form.get("next")))


# A right password (and code) whose account has no active registration.
REFUSED = (SignInOutcome.NOT_ACTIVATED, SignInOutcome.NOT_REGISTERED)


@bp.route("/login", methods=["POST"])
@refills(login_again)
@limit_per_address("SIGN_IN_LIMIT_PER_ADDRESS")
def login():
    """Log in; wrong credentials and lockouts come back in the sign-in box. With two-step, the
    Verification Code comes next (a pending sign-in, rpp.signin) before anything about the account."""
    form = LoginForm()
    next_url = safe_next(request.form.get("next"))
    outcome, closed = None, []
    if form.validate_on_submit():
        result = service.authenticate(form.user_name.data, form.password.data, client_address())
        outcome = result.outcome
        if outcome is SignInOutcome.OK:
            steps = two_step.steps_owed(result.account, temporary=bool(result.temporary_password_hash))
            if signin.CODE in steps:
                return pages.begin_sign_in_step(pages.PRODUCER, result.account, steps,
                                                result.temporary_password_hash, next_url)
            result = service.complete(result.account, client_address(), result.temporary_password_hash)
            if result.outcome is SignInOutcome.OK:
                return signed_in(result.account, result.temporary_password_hash, next_url)
            outcome, closed = result.outcome, refused_registrations(result.account)
    return render("auth/sign_in.html", "auth/_sign_in.html", form=form, outcome=outcome,
                  next=next_url, closed=closed)


def refused_registrations(account):
    """Every factor was right but no registration is active: the rejected or revoked ones, with Producer
    Services' reasons; with any, this browser may register them again (rpp.registration.again)."""
    closed = service.closed_registrations(account)
    if closed:
        again.allow(account)
    return closed


def refused(result):
    """A sign-in finished on another page (the Verification Code, a passkey) but refused: the sign-in page
    says why, with the reasons and Register Again where there are any."""
    response = signin.signed_out(pages.PRODUCER, result.outcome)
    if result.outcome in REFUSED:
        refused_registrations(result.account)
    return response


def finish(account, temporary_password_hash, next_url):
    """Every factor was right: the account's standing decides (rpp.auth.service.complete)."""
    result = service.complete(account, client_address(), temporary_password_hash)
    if result.outcome is not SignInOutcome.OK:
        return refused(result)
    return signed_in(account, temporary_password_hash, next_url)


def signed_in(account, temporary_password_hash, next_url):
    """A new session (the pre-login one, and any fixed cookie, is discarded), then onwards."""
    session.clear()
    user_agent = request.headers.get("User-Agent", "")
    user = service.start_session(account, client_address(), temporary_password_hash, user_agent)
    login_user(user)
    response = redirect_after_post(after_login_url(user.login_session, next_url))
    new_browser, token = sessions.remember_browser(account, request.cookies.get(BROWSER_COOKIE))
    if new_browser:
        with write_transaction():
            notices.notify(account, lazy_text("email.new_browser"), "new_browser",
                           browser=sessions.describe_browser(user_agent), client_address=client_address())
    response.set_cookie(BROWSER_COOKIE, token, max_age=BROWSER_COOKIE_SECONDS, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/login/verify", methods=["GET", "POST"])
def verify():
    """The second step of a sign-in with two-step: the Verification Code (or a recovery code)."""
    return pages.verify_page(pages.PRODUCER, lambda pending: finish(
        pending.account, pending.temporary_password_hash, pending.next_url))


@bp.route("/login/verify/more-time", methods=["POST"])
def more_time():
    """More time on the Verification Code step (once)."""
    return pages.more_time_page(pages.PRODUCER)


def after_login_url(login_session, next_url):
    """Change Password first after a temporary password; then a state; then where they were going."""
    if login_session.must_change_password and "account.change_password" in current_app.view_functions:
        return url_for("account.change_password")
    if login_session.selected_state is None:
        return url_for("auth.select_state", next=next_url)
    return next_url or url_for("auth.home")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End this session (logout is a POST with a CSRF token)."""
    service.end_session(current_user.login_session, client_address())
    return signin.signed_out(pages.PRODUCER)


@bp.route("/session/stay", methods=["POST"])
@login_required
def stay_signed_in():
    """Stay signed in (the warning before the idle limit): the session counts as used now."""
    service.stay_signed_in(current_user.login_session)
    return "", 204


@bp.route("/select-state", methods=["GET", "POST"])
@login_required
def select_state():
    """Pick the BCBS state to work in when the account is active in several."""
    states = service.active_states(current_user.account)
    form = SelectStateForm()
    form.state.choices = [SelectChoice(code, state_name(code)) for code in states]
    next_url = safe_next(request.values.get("next"))
    if form.validate_on_submit() and service.select_state(current_user.login_session, form.state.data):
        return redirect_after_post(next_url or url_for("auth.home"))
    if request.method == "GET":
        form.state.data = current_user.login_session.selected_state
    return render_template("auth/select_state.html", form=form, next=next_url)


@bp.route("/home")
@login_required
def home():
    """The account's states and their status, and the Welcome text."""
    registrations = service.registrations_by_state(current_user.account)
    return render_template("auth/home.html", registrations=registrations, state_names=STATE_NAMES,
                           selected=current_user.login_session.selected_state)
