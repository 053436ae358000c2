"""The Producer Services console: staff sign-in, pending queue, producer search, unlock, roster upload, failed e-mail."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import mail, routes  # noqa: E402,F401  (routes attach themselves to bp)
