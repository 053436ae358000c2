"""Where You're Signed In: the account's sessions, signing one out or every other one."""
from flask import Blueprint

bp = Blueprint("login_sessions", __name__, url_prefix="/account/sessions")

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
