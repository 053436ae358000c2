"""Gates: rules that decide whether a request reaches its page at all.

- After a temporary-password login, every page but Change Password, Logout and Contact Us leads to
  Change Password (checked before every request).
- The Producer Services console lets only a signed-in staff user through (`@staff_required`).
"""
import functools

from flask import g, make_response, redirect, request, session, url_for
from flask_login import current_user

from .hypermedia import redirect_after_post

# While a temporary password is being replaced, only these answer.
OPEN_DURING_CHANGE = {"account.change_password", "auth.logout", "static", "pages.contact_us"}
# The Flask session keeps only this token for the console; producers' Flask-Login keys are never read there.
STAFF_KEY = "staff_session"


def change_password_first():
    """After a temporary-password login, every page but Change Password, Logout and Contact Us leads there."""
    if request.endpoint in OPEN_DURING_CHANGE or request.endpoint is None:
        return None
    if not (current_user.is_authenticated and current_user.login_session.must_change_password):
        return None
    return redirect_after_post(url_for("account.change_password"))


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
        return view(*args, **kwargs)
    return wrapper


def init_app(app):
    """Check the change-password gate before every request."""
    app.before_request(change_password_first)
