from flask import Blueprint

bp = Blueprint("auth", __name__)
# A message for the sign-in page after a redirect there (e.g. "locked" after a lockout elsewhere).
SIGN_IN_OUTCOME_KEY = "sign_in_outcome"

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
