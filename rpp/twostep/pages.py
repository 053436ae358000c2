"""The two-step pages producers and staff share, written once: Set Up Two-Step Verification (with its
QR code), Save Your Recovery Codes and the Verification Code step of a sign-in. A TwoStepFlow says what
differs: the layout, the addresses, the words and where each page leads."""
from dataclasses import dataclass

from flask import abort, current_app, make_response, redirect, render_template, request, session, url_for

from .. import signin
from ..client import client_address
from ..hypermedia import redirect_after_post, render
from ..lockout import SIGN_IN_OUTCOME_KEY, STAFF_SIGN_IN_OUTCOME_KEY, SignInOutcome
from . import service
from .forms import WRONG_CODE, WRONG_CODE_OR_RECOVERY, SetupCodeForm, VerifyCodeForm


@dataclass(frozen=True)
class TwoStepFlow:
    """Where one kind of user's two-step pages live and where they lead."""
    layout: str          # the page every two-step page of theirs extends
    set_up: str          # endpoints
    qr_code: str
    recovery_codes: str
    verify: str          # the Verification Code step of their sign-in
    more_time: str       # its More time
    sign_in: str
    finished: str        # where Save Your Recovery Codes leads on
    finished_label: str  # message key of that link's words
    contact_note: str    # message key: who helps when the phone and the recovery codes are lost
    required_note: str   # message key: why set-up cannot wait
    outcome_key: str     # in the Flask session: what the sign-in page says after a redirect there


PRODUCER = TwoStepFlow(layout="base.html", set_up="twostep.set_up", qr_code="twostep.qr_code",
                       recovery_codes="twostep.recovery_codes", verify="auth.verify", more_time="auth.more_time",
                       sign_in="auth.sign_in",
                       finished="account.edit_profile", finished_label="registration.back_to_profile",
                       contact_note="two_step.lost_phone", required_note="two_step.required",
                       outcome_key=SIGN_IN_OUTCOME_KEY)
STAFF = TwoStepFlow(layout="staff/layout.html", set_up="staff.two_step_set_up", qr_code="staff.two_step_qr_code",
                    recovery_codes="staff.two_step_recovery_codes", verify="staff.verify",
                    more_time="staff.more_time", sign_in="staff.sign_in",
                    finished="staff.queue", finished_label="two_step.staff.continue",
                    contact_note="two_step.staff.lost_phone", required_note="two_step.staff.required",
                    outcome_key=STAFF_SIGN_IN_OUTCOME_KEY)


def set_up_page(flow, owner, required):
    """Set Up Two-Step Verification: scan the QR code (or type the key), then Verify a code.
    `required`: the owner cannot go on without it (staff always; producers when the carrier says so)."""
    if service.is_enabled(owner):
        return redirect_after_post(url_for(flow.finished))
    row = service.start_setup(owner)
    form = SetupCodeForm()
    if form.validate_on_submit():
        if service.turn_on(owner, row, form.code.data, client_address()):
            return redirect_after_post(url_for(flow.recovery_codes))
        form.code.errors.append(WRONG_CODE)
    return render("twostep/set_up.html", "twostep/_set_up.html", form=form, setup_key=service.setup_key(row),
                  otpauth_uri=service.provisioning_uri(row, authenticator_label(flow, owner)),
                  flow=flow, required=required)


def authenticator_label(flow, owner):
    """The name the authenticator app lists the account under (the QR code and the link say the same)."""
    return owner.user_name if flow is PRODUCER else f"{owner.user_name} (Producer Services)"


def qr_code_image(owner, label):
    """The QR code of the setup under way, as an SVG (its own URL, so the page has nothing inline)."""
    row = service.two_step_for(owner)
    if row is None or row.enabled_at is not None:
        abort(404)
    response = make_response(service.qr_svg(row, label))
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "no-store"
    return response


def recovery_codes_page(flow, owner):
    """Save Your Recovery Codes: the new codes, shown this once."""
    codes = service.take_unseen_codes(owner)
    if codes is None:
        return redirect(url_for(flow.finished))
    return render_template("twostep/recovery_codes.html", codes=codes, flow=flow)


def begin_sign_in_step(flow, owner, steps, temporary_password_hash=None, next_url=None):
    """The first step was right and a Verification Code is owed: a pending sign-in (rpp.signin) in a fresh
    Flask session; onwards to the Verification Code step."""
    signin.begin(owner, steps, temporary_password_hash, next_url)
    return redirect_after_post(url_for(flow.verify))


def back_to_sign_in(flow, outcome):
    """The sign-in page, with what became of the sign-in (locked, or the step expired: the user name kept)."""
    user_name = signin.user_name_of_ended() if outcome is SignInOutcome.VERIFICATION_EXPIRED else None
    signin.drop()
    if outcome is SignInOutcome.LOCKED:
        session.clear()
    session[flow.outcome_key] = outcome.value
    if user_name:
        session[signin.USER_NAME_KEY] = user_name
    return redirect_after_post(url_for(flow.sign_in))


def verify_page(flow, finish):
    """The Verification Code step: a right code calls `finish(pending)`, which completes the sign-in; wrong
    codes count toward the lockout; an expired step (or one whose owner was locked or disabled meanwhile)
    goes back to the sign-in page."""
    pending = signin.load()
    if pending is None or bool(pending.account_id) != (flow is PRODUCER):
        return back_to_sign_in(flow, SignInOutcome.VERIFICATION_EXPIRED)
    form = VerifyCodeForm()
    if form.validate_on_submit():
        outcome = service.verify_sign_in_code(pending, form.code.data, client_address())
        if outcome is SignInOutcome.OK:
            return finish(pending)
        if outcome is SignInOutcome.LOCKED:
            return back_to_sign_in(flow, SignInOutcome.LOCKED)
        form.code.errors.append(WRONG_CODE_OR_RECOVERY)
    return render("auth/verify.html", "auth/_verify.html", form=form, flow=flow,
                  minutes=current_app.config["SIGN_IN_STEP_MINUTES"],
                  seconds_left=signin.seconds_left(pending), more_time=signin.more_time_left(pending))


def more_time_page(flow):
    """More time on the Verification Code step (once): 204 for scripts, else back to the step."""
    pending = signin.load()
    if pending is None or bool(pending.account_id) != (flow is PRODUCER):
        return back_to_sign_in(flow, SignInOutcome.VERIFICATION_EXPIRED)
    given = signin.more_time(pending)
    if request.headers.get("HX-Request") == "true":
        return ("", 204) if given else ("", 409)
    return redirect(url_for(flow.verify), 303)
