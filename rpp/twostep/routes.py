"""Set Up Two-Step Verification, Save Your Recovery Codes and turning two-step off (from Edit Profile)."""
from flask import current_app, redirect, session, url_for
from flask_login import current_user, login_required

from .. import signin
from ..account import service as account_service
from ..client import client_address
from ..hypermedia import redirect_after_post, render, wants_fragment
from ..lockout import SignInOutcome
from ..messages import text
from . import bp, pages, service
from .forms import WRONG_CODE_OR_RECOVERY, NewRecoveryCodesForm, TurnOffForm
from .section import NEW_CODES, TURN_OFF, TURNED_OFF_KEY, section


def producer():
    """The signed-in account."""
    return current_user.account


@bp.route("/set-up", methods=["GET", "POST"])
@login_required
def set_up():
    """Set Up Two-Step Verification: scan the QR code (or type the key), then Verify a code."""
    return pages.set_up_page(pages.PRODUCER, producer(), current_app.config["TWO_STEP_REQUIRED"])


@bp.route("/qr-code.svg")
@login_required
def qr_code():
    """The QR code of the setup under way, as an SVG."""
    return pages.qr_code_image(producer(), pages.authenticator_label(pages.PRODUCER, producer()))


@bp.route("/recovery-codes")
@login_required
def recovery_codes():
    """Save Your Recovery Codes: the new codes, shown this once."""
    return pages.recovery_codes_page(pages.PRODUCER, producer())


def password_and_code_refused(account, form, check_code):
    """Check Current Password (and the code) through the one judge; wrong ones count toward the lockout.
    Returns SignInOutcome.LOCKED, True when refused (errors put on the form), or False."""
    code_ok = (lambda: service.check_code(service.two_step_for(account), form.code.data)
               is not service.CodeCheck.WRONG) if check_code else None
    refused = account_service.confirm_it_is_you(current_user.login_session, form.current_password.data,
                                                client_address(), "two-step change refused", "Two-Step Verification",
                                                also=code_ok)
    if refused is None:
        return False
    if refused.locked:
        return SignInOutcome.LOCKED
    if refused.field == "code":
        form.code.errors.append(WRONG_CODE_OR_RECOVERY)
    else:
        form.current_password.errors.append(text("password.wrong_current"))
    return True


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
            return signin.signed_out(pages.PRODUCER, SignInOutcome.LOCKED)
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
            return signin.signed_out(pages.PRODUCER, SignInOutcome.LOCKED)
        if not refused:
            service.turn_off(account, client_address())
            if wants_fragment():  # the section, in place, says so
                return render("twostep/manage.html", "twostep/_section.html",
                              **{**section(account), "two_step_turned_off": True})
            session[TURNED_OFF_KEY] = True
            return redirect(url_for("account.edit_profile") + "#two-step-title", 303)
    return render("twostep/manage.html", "twostep/_section.html", **{**section(account), "off_form": form})

