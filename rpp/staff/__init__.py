"""The Producer Services console: staff sign-in, pending queue, producer search, unlock, roster upload."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
