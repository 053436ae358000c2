"""Two-step verification: an authenticator app and recovery codes, at setup and at sign-in."""
from flask import Blueprint

bp = Blueprint("twostep", __name__, url_prefix="/account/two-step")

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
