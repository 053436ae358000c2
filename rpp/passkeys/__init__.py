"""Passkeys: added from Edit Profile, used on the sign-in page (only where JavaScript and WebAuthn are)."""
from flask import Blueprint

bp = Blueprint("passkeys", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
