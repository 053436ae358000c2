"""The security headers on every response: CSP, no sniffing or framing, HSTS outside debug, and no-store
on every page and fragment."""
from flask import request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'")


# Headers no view sets itself: added in one step (Headers.extend) rather than one search of the
# response's headers per name.
ALWAYS = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY")]
HSTS = [("Strict-Transport-Security", "max-age=31536000; includeSubDomains")]


def init_app(app):
    """Add the headers after every request."""
    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.extend(ALWAYS if app.debug else ALWAYS + HSTS)
        if request.endpoint != "static":
            # Signed in or not, a page or fragment may show a producer's details (Continue's
            # confirmation, a recovery form as typed) and carries a CSRF token: nothing is stored.
            headers["Cache-Control"] = "no-store"
        return response
