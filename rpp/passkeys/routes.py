"""Passkey routes. Without JavaScript none of this is shown: passkeys.js loads the pieces when the
browser has WebAuthn, and talks JSON to the options/verify routes."""
from flask import abort, current_app, render_template, request, session, url_for
from flask_login import current_user, login_required

from ..auth import SIGN_IN_OUTCOME_KEY
from ..auth import service as auth
from ..auth.routes import client_address, safe_next, signed_in
from ..hypermedia import redirect_after_post
from ..lockout import SignInOutcome
from ..messages import text
from . import bp, service
from ..hypermedia import fragment_of

CHALLENGE_KEY = "passkey_challenge"


def section(notice=None, error=None, status=200):
    """The Passkeys section of Edit Profile (loaded by passkeys.js)."""
    body = render_template("passkeys/_section.html", passkeys=service.account_passkeys(current_user.account),
                           notice=notice, error=error)
    return body, status


def credential_json():
    """The JSON body the browser sent, or a bad request."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        abort(400)
    return body


@bp.route("/account/passkeys")
@login_required
@fragment_of("account.edit_profile")
def passkeys():
    """Passkeys: the list, and Add a Passkey."""
    return section()


@bp.route("/account/passkeys/options", methods=["POST"])
@login_required
def registration_options():
    """Options for creating a passkey in this browser."""
    options, session[CHALLENGE_KEY] = service.registration_options(current_user.account)
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/account/passkeys", methods=["POST"])
@login_required
def add():
    """Keep the passkey the browser just made, under the name the producer gave it."""
    body = credential_json()
    name = " ".join(str(body.get("name") or "").split())
    if not name or len(name) > 50 or not name.isprintable():
        return section(error=text("passkeys.name_rule"), status=400)
    try:
        passkey = service.add_passkey(current_user.account, session.pop(CHALLENGE_KEY, None), body["credential"],
                                      name, client_address())
    except service.PasskeyRefused:
        return section(error=text("passkeys.not_added"), status=400)
    return section(notice=text("passkeys.added", name=passkey.name))


@bp.route("/account/passkeys/<int:passkey_id>/remove", methods=["POST"])
@login_required
def remove(passkey_id):
    """Remove a passkey: it no longer signs in."""
    if not service.remove_passkey(current_user.account, passkey_id, client_address()):
        abort(404)
    return section(notice=text("passkeys.removed"))


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
        session[SIGN_IN_OUTCOME_KEY] = result.outcome.value
        return redirect_after_post(url_for("auth.sign_in"))
    return signed_in(result.account, None, safe_next(body.get("next") if isinstance(body.get("next"), str) else None))
