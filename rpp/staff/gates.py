"""The console's gates: only a signed-in staff user gets through (`@staff_required`); one with an initial
password an admin set reaches only Change your password and Logout until they change it, then only Set Up
Two-Step Verification until it is on (two-step is required for staff); staff users and the roster are for
console admins (`@admin_required`)."""
import functools

from flask import g, redirect, request, session, url_for

from ..hypermedia import redirect_after_post, render
from ..twostep import service as two_step
from .sessions import load_session

# The Flask session keeps only this token for the console; producers' Flask-Login keys are never read there.
STAFF_KEY = "staff_session"
# What a staff user with an initial password may reach before changing it.
OPEN_DURING_STAFF_CHANGE = {"staff.change_password", "staff.save_password", "staff.logout", "staff.stay_signed_in"}
# What a staff user without two-step verification may reach before setting it up.
OPEN_DURING_STAFF_ENROLMENT = {"staff.two_step_set_up", "staff.two_step_qr_code", "staff.logout",
                               "staff.stay_signed_in"}


def go_to(endpoint):
    """Turned away to another page: a form or htmx gets redirect_after_post, a plain page a redirect."""
    if request.method == "POST" or request.headers.get("HX-Request") == "true":
        return redirect_after_post(url_for(endpoint))
    return redirect(url_for(endpoint))


def staff_required(view):
    """Only a signed-in staff user gets through; anyone else (producers too) goes to the staff sign-in."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        staff_session = load_session(session.get(STAFF_KEY))
        if staff_session is None:
            session.pop(STAFF_KEY, None)
            return go_to("staff.sign_in")
        g.staff_session, g.staff_user = staff_session, staff_session.staff_user
        first = staff_step_first(g.staff_user)
        if first is not None:
            return go_to(first)
        return view(*args, **kwargs)
    return wrapper


def staff_step_first(staff_user):
    """The page a staff user must finish before any other: Change your password after an initial password,
    then Set Up Two-Step Verification (required for staff). None when the request may go on."""
    if staff_user.must_change_password:
        return None if request.endpoint in OPEN_DURING_STAFF_CHANGE else "staff.change_password"
    if request.endpoint in OPEN_DURING_STAFF_ENROLMENT:
        return None
    return None if two_step.is_enabled(staff_user) else "staff.two_step_set_up"


def admin_required(view):
    """Staff users and the roster are for console admins; a clerk gets a page (403) that says so."""
    @staff_required
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.staff_user.is_admin:
            return render("staff/admins_only.html", "staff/_admins_only.html", status=403)
        return view(*args, **kwargs)
    return wrapper
