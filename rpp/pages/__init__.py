"""Pages every visitor can reach (Contact Us), error pages, and the headers on every response."""
import hashlib
import os

from flask import Blueprint, current_app, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from peewee import InternalError, OperationalError

from .. import clock, passwords
from ..hypermedia import render, wants_fragment
from ..states import (BCBS_STATES, CONTACT_ALL_STATES, CONTACT_COLUMNS, CONTACT_ROWS,
                      PLAN_NAMES)

bp = Blueprint("pages", __name__)

PASSWORD_CHECKS_BUSY = ("We are checking many passwords just now and could not check yours. Nothing was changed. "
                        "Please try again in a moment.")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'")


class PortalSessionInterface(SecureCookieSessionInterface):
    """Static files leave the session alone: no Set-Cookie and no `Vary: Cookie`, so a browser keeps
    htmx and the CSS across logins instead of fetching them again whenever the cookie changes."""

    def save_session(self, app, session, response):
        if request.endpoint != "static":
            super().save_session(app, session, response)


def error_page(title, message, status):
    """An error page; for htmx the same panel, swapped in place of the page's main content."""
    response = render("pages/error.html", "pages/_error.html", status=status, title=title, message=message)
    if wants_fragment():
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


@bp.route("/contact-us")
def contact_us():
    """The guide's table of Producer Services numbers by state and line of business."""
    return render_template("pages/contact_us.html", columns=CONTACT_COLUMNS, rows=CONTACT_ROWS,
                           all_states=CONTACT_ALL_STATES, state_names=BCBS_STATES)


def init_app(app):
    """Template helpers, security headers and error pages."""
    app.session_interface = PortalSessionInterface()
    versions = {}

    def asset_url(filename):
        """A static file's URL with a content hash, so it can be cached for a year (worked out once)."""
        key = (request.script_root, filename)
        if key not in versions:
            with open(os.path.join(app.static_folder, filename), "rb") as asset:
                digest = hashlib.sha256(asset.read()).hexdigest()[:10]
            versions[key] = url_for("static", filename=filename, v=digest)
        return versions[key]

    @app.context_processor
    def template_helpers():
        return {"asset_url": asset_url, "plan_names": PLAN_NAMES, "state_names": BCBS_STATES,
                "url_rules": current_app.view_functions}

    @app.template_filter("local_time")
    def local_time(moment):
        """A time as producers read it: in the portal's time zone, e.g. Monday, March 4, 2024 at 3:00 PM CST."""
        moment = clock.local(moment) if moment.tzinfo is None else moment
        hour = moment.hour % 12 or 12
        return f"{moment:%A, %B} {moment.day}, {moment.year} at {hour}:{moment:%M %p %Z}"

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if not app.debug:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static" and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(404)
    def not_found(error):
        return render_template("pages/error.html", title="Page not found",
                               message="We could not find that page."), 404

    @app.errorhandler(405)
    def method_not_allowed(error):
        return render_template("pages/error.html", title="Page not found",
                               message="We could not find that page."), 405

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("pages/error.html", title="Please try again",
                               message="Your session expired or the form was sent twice. "
                                       "Please go back, reload the page and try again."), 400

    @app.errorhandler(429)
    def too_many_requests(error):
        if getattr(error, "response", None) is not None:  # a limit with its own answer (on_breach)
            return error.response
        return error_page("Please try again later",
                          "We have received too many requests. Please try again later.", 429)

    @app.errorhandler(passwords.Busy)
    def password_checks_busy(error):
        response = error_page("Please try again in a moment", PASSWORD_CHECKS_BUSY, 503)
        response.headers["Retry-After"] = "1"
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InternalError)  # PostgreSQL in read-only mode (a standby, default_transaction_read_only)
    def database_unavailable(error):
        app.logger.error("database error: %s", error)
        return error_page("Please try again in a few minutes",
                          "We could not save your information just now. Nothing was changed. "
                          "Please try again in a few minutes.", 503)

    @app.errorhandler(500)
    def server_error(error):
        return render_template("pages/error.html", title="Something went wrong",
                               message="We could not complete your request. Nothing was changed. "
                                       "Please try again in a few minutes."), 500
