"""Passkey routes. The Passkeys section of Edit Profile (rpp.sections) lists them with Remove, which works
without JavaScript; adding one and signing in with one need passkeys.js (where the browser has WebAuthn),
which talks JSON to the options/verify routes."""
from flask import abort, current_app, render_template, request, session
from flask_login import current_user, login_required

from .. import signin
from ..auth import service as auth
from ..auth.routes import refused, safe_next, signed_in
from ..client import client_address
from ..confirm import confirm_it_is_you
from ..hypermedia import fragment_of
from ..lockout import SignInOutcome
from ..messages import text
from ..twostep import pages
from . import bp, service
from .forms import PasskeyForm
from .section import SECTION

CHALLENGE_KEY = "passkey_challenge"


def confirmed(form, where):
    """The Current Password of a passkey change, judged by rpp.judge: None when right; else the answer
    (the section with the message beside the field, or, at the lockout, the sign-in page)."""
    if not form.validate():
        return SECTION.show(400, passkey_form=form)
    refused = confirm_it_is_you(current_user.login_session, form.current_password.data,
                                client_address(), "passkey change refused", where)
    if refused is None:
        return None
    if refused.locked:
        return signin.signed_out(pages.PRODUCER, SignInOutcome.LOCKED)
    form.current_password.errors.append(refused.message)
    return SECTION.show(400, passkey_form=form)


def credential_json():
    """The JSON body the browser sent, or a bad request."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        abort(400)
    return body


@bp.route("/account/passkeys")
@login_required
def passkeys():
    """Passkeys: the section (htmx), or as a page the list with Remove (no bare fragment)."""
    return SECTION.show()


@bp.route("/account/passkeys/options", methods=["POST"])
@login_required
def registration_options():
    """Add a Passkey, before the browser's prompt: the Current Password (form data), then the options for
    creating a passkey in this browser. Without them no passkey can be added (`add` takes this challenge)."""
    refused = confirmed(PasskeyForm(), "Passkeys")
    if refused is not None:
        return refused
    options, session[CHALLENGE_KEY] = service.registration_options(current_user.account)
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/account/passkeys", methods=["POST"])
@login_required
def add():
    """Keep the passkey the browser just made, under the name the producer gave it."""
    body = credential_json()
    name = " ".join(str(body.get("name") or "").split())
    if not name or len(name) > 50 or not name.isprintable():
        return SECTION.show(400, error=text("passkeys.name_rule"))
    try:
        passkey = service.add_passkey(current_user.account, session.pop(CHALLENGE_KEY, None), body["credential"],
                                      name, client_address())
    except service.PasskeyRefused:
        return SECTION.show(400, error=text("passkeys.not_added"))
    return SECTION.changed(text("passkeys.added", name=passkey.name))


@bp.route("/account/passkeys/remove", methods=["POST"])
@login_required
def remove():
    """Remove a passkey (it no longer signs in), confirmed with the Current Password."""
    form = PasskeyForm()
    if form.passkey_id.data is None:  # each Remove button names its passkey: no password is judged without one
        abort(404)
    refused = confirmed(form, "Passkeys")
    if refused is not None:
        return refused
    if not service.remove_passkey(current_user.account, form.passkey_id.data, client_address()):
        abort(404)
    return SECTION.changed(text("passkeys.removed"))


@bp.route("/login/passkey")
@fragment_of("auth.sign_in")
def sign_in_button():
    """The "Sign in with a passkey" button (loaded by passkeys.js on the sign-in page)."""
    return render_template("passkeys/_sign_in.html")


@bp.route("/login/passkey/options", methods=["POST"])
def authentication_options():
    """Options for signing in with any passkey of this browser for the portal."""
    options, session[CHALLENGE_KEY] = service.authentication_options()
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/login/passkey", methods=["POST"])
def sign_in():
    """A passkey counts as both steps: the same lockout, activation and session rules as a password."""
    body = credential_json()
    try:
        passkey = service.verify_sign_in(session.pop(CHALLENGE_KEY, None), body["credential"])
    except service.PasskeyRefused:
        return render_template("passkeys/_message.html", message=text("passkeys.not_signed_in")), 400
    result = auth.passkey_sign_in(passkey.account, client_address())
    if result.outcome is not SignInOutcome.OK:
        return refused(result)
    return signed_in(result.account, None, safe_next(body.get("next") if isinstance(body.get("next"), str) else None))
