"""Who is asking: the client's address, as events, sessions, limits and the metrics allow-list see it."""
from flask import request


def client_address():
    """The client's address ("" when unknown). Behind TRUSTED_PROXIES, ProxyFix (rpp.create_app) has
    already taken it from their X-Forwarded-For, so this is the browser's address, not the proxy's."""
    return request.remote_addr or ""
