"""One way to answer a request with a full page or, for htmx, the partial the page includes."""
import functools
import unicodedata
from urllib.parse import urlsplit

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.urls import iri_to_uri

from .messages import gettext


def wants_fragment():
    """An htmx request that swaps part of a page (not a boosted link nor a history restore)."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-Boosted") != "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def document_title(title):
    """What a page's <title> says: its own title, then the portal's name (base.html and htmx swaps)."""
    return escape(title) + Markup(" – ") + gettext("Retail Producer Portal")


def page_title(page, context):
    """The `title` block of a page template, rendered with this context (already escaped)."""
    template = current_app.jinja_env.get_template(page)
    context = dict(context)
    current_app.update_template_context(context)
    return Markup("".join(template.blocks["title"](template.new_context(context))))


def render(page, partial, status=200, push_url=None, **context):
    """The partial for htmx, else the full page; either way `Vary: HX-Request`. A partial that shows
    another page (push_url) pushes that page's address and carries its <title>, which htmx sets."""
    fragment = wants_fragment()
    body = render_template(partial if fragment else page, **context)
    if fragment and push_url:
        body = Markup("<title>{}</title>\n").format(document_title(page_title(page, context))) + Markup(body)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    if fragment and push_url:
        response.headers["HX-Push-Url"] = iri_to_uri(push_url)  # a header holds ASCII only
    return response


def fragment_of(endpoint):
    """For a GET that answers scripts (htmx, passkeys.js) with a piece of a page: asked for as a page (a
    bookmark, a new tab, JavaScript off) it sends the browser to the page that holds the piece instead of
    showing a bare fragment without title or language."""
    def decorate(view):
        @functools.wraps(view)
        def piece_or_page(*args, **kwargs):
            if request.method == "GET" and request.headers.get("HX-Request") != "true":
                response = redirect(url_for(endpoint), 303)
            else:
                response = make_response(view(*args, **kwargs))
            response.vary.add("HX-Request")
            return response
        return piece_or_page
    return decorate


def safe_next(target):
    """Only a path on this site; never another host, scheme-relative URL, backslash or control
    character trick. Other characters (中, U+2028) are percent-encoded: the result goes in a
    Location or HX-Redirect header, which holds ASCII only."""
    if not target or "\\" in target or any(unicodedata.category(ch) == "Cc" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return iri_to_uri(target)


def redirect_after_post(url):
    """After a successful POST: htmx follows HX-Redirect, a plain browser a 303 (both headers
    percent-encoded, as a header holds ASCII only)."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 204)
        response.headers["HX-Redirect"] = iri_to_uri(url)
    else:
        response = redirect(url, 303)
    response.vary.add("HX-Request")
    return response


def field_error(form, field):
    """Inline validation: check one field (with its form's validate_<name> rule) and answer with
    the content of its error slot; an unknown field is a bad request."""
    if field is None:
        abort(400)
    inline = getattr(type(form), f"validate_{field.short_name}", None)
    field.validate(form, [inline] if inline else [])
    return render_template("_field_error.html", f=field)
