"""The Flask session cookie, left alone by static files."""
from flask import request
from flask.sessions import SecureCookieSessionInterface

NO_SESSION = {"static", "health.live", "health.ready", "metrics.scrape"}  # answers that never set a cookie


class PortalSessionInterface(SecureCookieSessionInterface):
    """Static files leave the session alone: no Set-Cookie and no `Vary: Cookie`, so a browser keeps
    htmx and the CSS across logins instead of fetching them again whenever the cookie changes.
    The cookie's signing serializer is built once per set of keys, not twice per request."""

    def __init__(self):
        self.serializers = {}

    def get_signing_serializer(self, app):
        """Flask's serializer for these keys (it keeps no state between cookies, so one serves every request)."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self.serializers:
            self.serializers[keys] = super().get_signing_serializer(app)
        return self.serializers[keys]

    def save_session(self, app, session, response):
        if request.endpoint not in NO_SESSION:
            super().save_session(app, session, response)


def init_app(app):
    """Use the portal's session interface."""
    app.session_interface = PortalSessionInterface()
