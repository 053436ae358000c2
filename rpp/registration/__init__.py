from flask import Blueprint

bp = Blueprint("registration", __name__, url_prefix="/register")

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
