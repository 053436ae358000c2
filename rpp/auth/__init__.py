from flask import Blueprint

bp = Blueprint("auth", __name__)


@bp.record_once
def outcomes_in_templates(state):
    """Sign-in pages (producers' and staff's) compare their outcome with SignInOutcome members."""
    from ..lockout import SignInOutcome
    state.app.jinja_env.globals["SignInOutcome"] = SignInOutcome

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
