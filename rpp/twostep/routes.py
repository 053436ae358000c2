"""Set Up Two-Step Verification, Save Your Recovery Codes and turning two-step off (from Edit Profile)."""
from flask import abort, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from ..account import service as account_service
from ..auth import SIGN_IN_OUTCOME_KEY
from ..hypermedia import redirect_after_post, render, wants_fragment
from ..lockout import SignInOutcome
from ..messages import text
from . import bp, service
from .section import NEW_CODES, TURN_OFF, TURNED_OFF_KEY, section
from .forms import WRONG_CODE, WRONG_CODE_OR_RECOVERY, NewRecoveryCodesForm, SetupCodeForm, TurnOffForm



def producer():
    """The signed-in account."""
    return current_user.account


def client_address():
    return request.remote_addr or ""


@bp.route("/set-up", methods=["GET", "POST"])
@login_required
def set_up():
    """Set Up Two-Step Verification: scan the QR code (or type the key), then Verify a code."""
    account = producer()
    if service.is_enabled(account):
        return redirect_after_post(url_for("account.edit_profile"))
    row = service.start_setup(account)
    form = SetupCodeForm()
    if form.validate_on_submit():
        if service.turn_on(account, row, form.code.data, client_address()):
            return redirect_after_post(url_for("twostep.recovery_codes"))
        form.code.errors.append(WRONG_CODE)
    return render("twostep/set_up.html", "twostep/_set_up.html", form=form, setup_key=service.setup_key(row))


@bp.route("/qr-code.svg")
@login_required
def qr_code():
    """The QR code of the setup under way, as an SVG (its own URL, so the page has nothing inline)."""
    row = service.two_step_for(producer())
    if row is None or row.enabled_at is not None:
        abort(404)
    response = make_response(service.qr_svg(row, producer().user_name))
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/recovery-codes")
@login_required
def recovery_codes():
    """Save Your Recovery Codes: the new codes, shown this once."""
    codes = service.take_unseen_codes(producer())
    if codes is None:
        return redirect(url_for("account.edit_profile"))
    return render_template("twostep/recovery_codes.html", codes=codes)


def password_and_code_refused(account, form, check_code):
    """Check Current Password (and the code); wrong ones count toward the lockout. Returns
    SignInOutcome.LOCKED, True when refused (errors put on the form), or False."""
    password_ok = account_service.current_password_ok(current_user.login_session, form.current_password.data)
    code_ok = password_ok and (not check_code or
                               service.check_code(service.two_step_for(account), form.code.data)
                               is not service.CodeCheck.WRONG)
    if code_ok:
        return False
    if account_service.count_wrong_current_password(account, client_address(), "two-step change refused",
                                                     "Two-Step Verification"):
        return SignInOutcome.LOCKED
    if not password_ok:
        form.current_password.errors.append(text("password.wrong_current"))
    else:
        form.code.errors.append(WRONG_CODE_OR_RECOVERY)
    return True


def signed_out_locked():
    """The lockout ended every session: back to the sign-in page with the locked message."""
    logout_user()
    session.clear()
    session[SIGN_IN_OUTCOME_KEY] = SignInOutcome.LOCKED.value
    return redirect_after_post(url_for("auth.sign_in"))


@bp.route("/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    """Get New Recovery Codes: the old ones stop working."""
    account = producer()
    row = service.two_step_for(account)
    if row is None or row.enabled_at is None:
        return redirect_after_post(url_for("account.edit_profile"))
    form = NewRecoveryCodesForm(prefix=NEW_CODES)
    if form.validate_on_submit():
        refused = password_and_code_refused(account, form, check_code=False)
        if refused is SignInOutcome.LOCKED:
            return signed_out_locked()
        if not refused:
            service.replace_recovery_codes(account, row, client_address())
            return redirect_after_post(url_for("twostep.recovery_codes"))
    return render("twostep/manage.html", "twostep/_section.html", **{**section(account), "codes_form": form})


@bp.route("/turn-off", methods=["POST"])
@login_required
def turn_off():
    """Turn Off Two-Step Verification: needs the Current Password and a Verification Code."""
    account = producer()
    if not service.is_enabled(account):
        return redirect_after_post(url_for("account.edit_profile"))
    form = TurnOffForm(prefix=TURN_OFF)
    if form.validate_on_submit():
        refused = password_and_code_refused(account, form, check_code=True)
        if refused is SignInOutcome.LOCKED:
            return signed_out_locked()
        if not refused:
            service.turn_off(account, client_address())
            if wants_fragment():  # the section, in place, says so
                return render("twostep/manage.html", "twostep/_section.html",
                              **{**section(account), "two_step_turned_off": True})
            session[TURNED_OFF_KEY] = True
            return redirect(url_for("account.edit_profile") + "#two-step-title", 303)
    return render("twostep/manage.html", "twostep/_section.html", **{**section(account), "off_form": form})

