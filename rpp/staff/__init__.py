"""The Producer Services console: staff sign-in, the registrations queue, producers, roster upload, staff users."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import routes, users  # noqa: E402,F401  (routes attach themselves to bp)
