"""Set Up Two-Step Verification, Save Your Recovery Codes and turning two-step off (from Edit Profile)."""
from flask import current_app, url_for
from flask_login import current_user, login_required

from .. import signin
from ..client import client_address
from ..confirm import confirm_it_is_you
from ..hypermedia import redirect_after_post
from ..lockout import SignInOutcome
from ..messages import text
from . import bp, pages, service
from .forms import WRONG_CODE_OR_RECOVERY, NewRecoveryCodesForm, TurnOffForm
from .section import NEW_CODES, SECTION, TURN_OFF


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


def refusal(account, form, check_code):
    """Get New Recovery Codes and Turn Off start alike: the form, then the Current Password (and the code)
    through the one judge, where wrong ones count toward the lockout. None when all is right; else the answer:
    the section again with the errors beside the fields, or, at the lockout, signed out."""
    if form.validate_on_submit():
        code_ok = (lambda: service.check_code(service.two_step_for(account), form.code.data)
                   is not service.CodeCheck.WRONG) if check_code else None
        refused = confirm_it_is_you(current_user.login_session, form.current_password.data, client_address(),
                                    "two-step change refused", "Two-Step Verification", also=code_ok)
        if refused is None:
            return None
        if refused.locked:
            return signin.signed_out(pages.PRODUCER, SignInOutcome.LOCKED)
        if refused.field == "code":
            form.code.errors.append(WRONG_CODE_OR_RECOVERY)
        else:
            form.current_password.errors.append(text("password.wrong_current"))
    return SECTION.show(**{"off_form" if check_code else "codes_form": form})


@bp.route("/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    """Get New Recovery Codes: the old ones stop working."""
    account = producer()
    row = service.two_step_for(account)
    if row is None or row.enabled_at is None:
        return redirect_after_post(url_for("account.edit_profile"))
    refused = refusal(account, NewRecoveryCodesForm(prefix=NEW_CODES), check_code=False)
    if refused is not None:
        return refused
    service.replace_recovery_codes(account, row, client_address())
    return redirect_after_post(url_for("twostep.recovery_codes"))


@bp.route("/turn-off", methods=["POST"])
@login_required
def turn_off():
    """Turn Off Two-Step Verification: needs the Current Password and a Verification Code."""
    account = producer()
    if not service.is_enabled(account):
        return redirect_after_post(url_for("account.edit_profile"))
    refused = refusal(account, TurnOffForm(prefix=TURN_OFF), check_code=True)
    if refused is not None:
        return refused
    service.turn_off(account, client_address())
    return SECTION.changed(text("two_step.turned_off"))
