"""The Producer Services console: sign-in, registrations queue, producers, roster upload, staff users, failed e-mail."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import cli, mail, routes, two_step, users  # noqa: E402,F401  (routes and commands attach themselves to bp)
