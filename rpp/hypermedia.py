"""One way to answer a request with a full page or, for htmx, the partial the page includes."""
from flask import abort, make_response, redirect, render_template, request
from werkzeug.urls import iri_to_uri


def wants_fragment():
    """An htmx request that swaps part of a page (not a boosted link nor a history restore)."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-Boosted") != "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def render(page, partial, status=200, push_url=None, **context):
    """The partial for htmx, else the full page; either way `Vary: HX-Request`."""
    fragment = wants_fragment()
    response = make_response(render_template(partial if fragment else page, **context), status)
    response.vary.add("HX-Request")
    if fragment and push_url:
        response.headers["HX-Push-Url"] = iri_to_uri(push_url)  # a header holds ASCII only
    return response


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
