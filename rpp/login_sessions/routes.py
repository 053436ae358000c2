"""Sign Out (one other session) and Sign Out Everywhere Else, from Edit Profile."""
from flask import abort
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..client import client_address
from ..messages import text
from . import bp, service
from .section import SECTION


@bp.route("/<session_id>/sign-out", methods=["POST"])
@login_required
def sign_out(session_id):
    """Sign Out: end one other session of this account."""
    this_session = current_user.login_session
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not service.sign_out(this_session.account, session_id, this_session.token, client_address()):
        abort(404)
    return SECTION.changed(text("login_sessions.signed_out"))


@bp.route("/sign-out-everywhere-else", methods=["POST"])
@login_required
def sign_out_everywhere_else():
    """Sign Out Everywhere Else: every session of this account but this one ends."""
    this_session = current_user.login_session
    if not FlaskForm().validate_on_submit():
        abort(400)
    ended = service.sign_out_everywhere_else(this_session.account, this_session.token, client_address())
    return SECTION.changed(text("login_sessions.signed_out_everywhere_else" if ended
                                else "login_sessions.nowhere_else"))
