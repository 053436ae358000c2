"""The Flask session cookie, left alone by static files."""
from flask import request
from flask.sessions import SecureCookieSessionInterface

NO_SESSION = {"static", "health.live", "health.ready", "metrics.scrape"}  # answers that never set a cookie


class PortalSessionInterface(SecureCookieSessionInterface):
    """Static files leave the session alone: no Set-Cookie and no `Vary: Cookie`, so a browser keeps
    htmx and the CSS across logins instead of fetching them again whenever the cookie changes."""

    def save_session(self, app, session, response):
        if request.endpoint not in NO_SESSION:
            super().save_session(app, session, response)


def init_app(app):
    """Use the portal's session interface."""
    app.session_interface = PortalSessionInterface()
