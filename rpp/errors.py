"""Error pages: one handler per kind of error, each answering with a page or, for htmx, its partial.

To add one, add a row to ERRORS (what is raised, the status, the messages' name in rpp.messages);
an area that words an error its own way names its page and partial in AREA_PAGES.
"""
import functools
from urllib.parse import urlsplit

from flask import current_app, redirect, request
from flask_wtf.csrf import CSRFError
from peewee import InternalError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from .hypermedia import render, wants_fragment
from .messages import text
from .passwords import Busy

# (what is raised or its status, the status answered, the name of its title and message in rpp.messages)
ERRORS = [
    (404, 404, "error.not_found"),
    (CSRFError, 400, "error.csrf"),
    (413, 413, "error.too_large"),  # a body over MAX_CONTENT_LENGTH & co. (rpp/limits.py), before it is read
    (429, 429, "error.too_many_requests"),
    (Busy, 503, "error.busy"),  # every password-check slot of this worker taken (rpp.passwords)
    (OperationalError, 503, "error.database"),
    (InternalError, 503, "error.database"),  # PostgreSQL in read-only mode (a standby)
    (500, 500, "error.server"),
]
ERROR_PAGE = ("pages/error.html", "pages/_error.html")
# (blueprint, status) → (page, partial) where an area has its own wording.
AREA_PAGES = {
    ("recovery", 429): ("recovery/too_many_requests.html", "recovery/_too_many_requests.html"),
}


def error_page(status, name, error):
    """The error's page (the area's own if it has one), or its partial for htmx; the portal's own
    error panel replaces the page's main content, whatever the request was aimed at."""
    if getattr(error, "response", None) is not None:  # a limit with its own answer (Flask-Limiter's on_breach)
        return error.response
    if not isinstance(error, (HTTPException, Busy)):  # Flask has already logged HTTP errors
        current_app.logger.error("%s: %s", name, error)
    page, partial = AREA_PAGES.get((request.blueprint, status), ERROR_PAGE)
    response = render(page, partial, status=status, title=text(f"{name}.title"), message=text(f"{name}.message"))
    if (page, partial) == ERROR_PAGE and wants_fragment():
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reswap"] = "innerHTML"
    if isinstance(error, Busy):
        response.headers["Retry-After"] = "1"  # a moment: the slots free as the checks in hand finish
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
