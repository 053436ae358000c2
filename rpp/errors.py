"""Error pages: one handler per kind of error, each answering with a page or, for htmx, its partial.

To add one, add a row to ERRORS (what is raised, the status, the messages' name in rpp.messages);
an area that words an error its own way names its page and partial in AREA_PAGES.

For htmx every error answer is shown in place (static/js/portal.js swaps 4xx and 5xx answers): the
portal's error panel is retargeted (HX-Retarget) to the page's main content, with role="alert".
A form sent with an expired or missing CSRF token (the session ended, the cookie is gone) comes back
as that same form, filled with what was typed (passwords apart), when its view is marked with
`@refills(...)`; anything else gets the error page.
"""
import functools
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request
from flask_wtf.csrf import CSRFError
from peewee import InterfaceError, InternalError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from .hypermedia import render, wants_fragment
from .messages import text
from .passwords import Busy

# (what is raised or its status, the status answered, the name of its title and message in rpp.messages)
ERRORS = [
    (400, 400, "error.bad_request"),
    (403, 403, "error.forbidden"),
    (404, 404, "error.not_found"),
    (413, 413, "error.too_large"),  # a body over MAX_CONTENT_LENGTH & co. (rpp/limits.py), before it is read
    (429, 429, "error.too_many_requests"),
    (Busy, 503, "error.busy"),  # every password-check slot of this worker taken (rpp.passwords)
    (OperationalError, 503, "error.database"),
    (InternalError, 503, "error.database"),  # PostgreSQL in read-only mode (a standby)
    (InterfaceError, 503, "error.database"),  # a pooled connection the server closed (a restart)
    (500, 500, "error.server"),
]
ERROR_PAGE = ("pages/error.html", "pages/_error.html")
DATABASE_RETRY_SECONDS = "5"  # Retry-After on the database's 503: a restart takes a few seconds
# (blueprint, status) → (page, partial) where an area has its own wording.
AREA_PAGES = {
    ("recovery", 429): ("recovery/too_many_requests.html", "recovery/_too_many_requests.html"),
}


def one_line(error):
    """An error's message on one line (psycopg2's run over several)."""
    return " ".join(str(error).split()) or type(error).__name__


def error_page(status, name, error):
    """The error's page (the area's own if it has one), or its partial for htmx; the portal's own
    error panel replaces the page's main content, whatever the request was aimed at.

    Rendering it never touches the database (g.rpp_error: the session is not looked up, so the header
    is the signed-out one unless the account was loaded before the error)."""
    if getattr(error, "response", None) is not None:  # a limit with its own answer (Flask-Limiter's on_breach)
        return error.response
    g.rpp_error = True
    if not isinstance(error, (HTTPException, Busy)):  # Flask has already logged HTTP errors
        current_app.logger.error("%s %s answered %d (%s): %s: %s", request.method, request.path, status, name,
                                 type(error).__name__, one_line(error))
    page, partial = AREA_PAGES.get((request.blueprint, status), ERROR_PAGE)
    response = render(page, partial, status=status, title=text(f"{name}.title"), message=text(f"{name}.message"))
    if (page, partial) == ERROR_PAGE and wants_fragment():
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reswap"] = "innerHTML"
    if isinstance(error, Busy):
        response.headers["Retry-After"] = "1"  # a moment: the slots free as the checks in hand finish
    elif name == "error.database":
        response.headers["Retry-After"] = DATABASE_RETRY_SECONDS
    return response


def refills(refill):
    """Mark a view whose form, sent with an expired or missing CSRF token, comes back filled: `refill`
    (called with the view's arguments) shows the form again from request.form, doing nothing else.
    Guard it as the view is guarded (e.g. `login_required(refill)`: a browser whose cookie is gone is
    signed out, and goes to the sign-in page, rpp.gates.sign_in_first)."""
    def mark(view):
        view.refill = refill
        return view
    return mark


def expired_form(error):
    """A form sent with a CSRF token that expired or is missing: the same form again, filled and saying
    so, where its view can show it (`@refills`); otherwise the error page."""
    view = current_app.view_functions.get(request.endpoint)
    refill = getattr(view, "refill", None)
    if refill is None or request.method != "POST":
        return error_page(400, "error.csrf", error)
    g.form_expired = True  # the error summary (partials/_macros.html) says the page had expired
    response = current_app.make_response(refill(**(request.view_args or {})))
    if response.status_code == 200:
        response.status_code = 400
    return response


def page_of(path):
    """The nearest address above `path` a browser can open (GET): /staff/producers/7/unlock →
    /staff/producers/7, /login → /."""
    adapter = current_app.url_map.bind("", url_scheme=request.scheme)
    while path not in ("", "/"):
        path = path.rsplit("/", 1)[0]
        try:
            adapter.match(path or "/", method="GET")
        except RequestRedirect as moved:  # /staff → /staff/
            return urlsplit(moved.new_url).path
        except (NotFound, MethodNotAllowed):
            continue
        return path or "/"
    return "/"


def wrong_method(error):
    """A GET on an address that only takes a form (a reload or bookmark after a JavaScript-off form
    sent there) goes to its page; any other wrong method is a 405 page saying so."""
    if request.method in ("GET", "HEAD") and not wants_fragment():
        return redirect(page_of(request.path), 303)
    return error_page(405, "error.wrong_method", error)


def init_app(app):
    """Register a handler for each row of ERRORS."""
    for raised, status, name in ERRORS:
        app.register_error_handler(raised, functools.partial(error_page, status, name))
    app.register_error_handler(405, wrong_method)  # a GET goes to the address's page
    app.register_error_handler(CSRFError, expired_form)  # the form again, filled, where it can be
