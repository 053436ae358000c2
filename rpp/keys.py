"""Keys that can be rotated: SECRET_KEY with SECRET_KEY_FALLBACKS, and TWO_STEP_KEY apart from both.

Flask reads the session cookie with SECRET_KEY or any key in SECRET_KEY_FALLBACKS (rpp.sessions).
Flask-WTF's CSRF check knows one key only, so a form rendered before the switch would be refused: the
portal runs that check itself (Flask-WTF's documented WTF_CSRF_CHECK_DEFAULT=False and protect()), and
a token the current key refuses is accepted when a fallback key signed it.
"""
from flask import current_app, g, request
from flask_wtf.csrf import CSRFError, same_origin, validate_csrf
from wtforms import ValidationError

from .extensions import csrf


def sent_token():
    """The CSRF token the request carries: in the form, or in one of the CSRF headers (htmx)."""
    config = current_app.config
    token = request.form.get(config["WTF_CSRF_FIELD_NAME"])
    if token:
        return token
    return next((request.headers[name] for name in config["WTF_CSRF_HEADERS"] if request.headers.get(name)), None)


def signed_by_a_fallback_key():
    """Whether the request's CSRF token was signed by a key in SECRET_KEY_FALLBACKS (a form rendered
    before SECRET_KEY changed), the other rules of Flask-WTF's check holding."""
    token = sent_token()
    if not token:
        return False
    if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"] and (
            not request.referrer or not same_origin(request.referrer, f"https://{request.host}/")):
        return False
    for key in current_app.config["SECRET_KEY_FALLBACKS"] or ():
        try:
            validate_csrf(token, secret_key=key)
        except ValidationError:
            continue
        return True
    return False


def check_csrf():
    """Flask-WTF's check of every form, which a fallback key's token also passes."""
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return
    try:
        csrf.protect(apply_exemptions=True)
    except CSRFError:
        if not signed_by_a_fallback_key():
            raise
        g.csrf_valid = True  # what protect() marks: the forms' own CSRF fields then accept it too


def require_two_step_key(app):
    """Outside debug (and the test suite's portals), TWO_STEP_KEY must be set, so that changing SECRET_KEY
    never makes every two-step secret unreadable."""
    if app.debug or app.testing or app.config.get("TWO_STEP_KEY"):
        return
    raise RuntimeError("TWO_STEP_KEY is required outside debug: set FLASK_TWO_STEP_KEY or TWO_STEP_KEY in "
                       "instance/config.py. For an existing portal, give it the current SECRET_KEY's value "
                       "(two-step secrets stay readable); see docs/operating.md.")


def init_app(app):
    """Run the CSRF check that knows the fallback keys, in place of Flask-WTF's own; call before csrf.init_app."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(check_csrf)
