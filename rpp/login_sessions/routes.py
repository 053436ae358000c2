"""Sign Out (one other session) and Sign Out Everywhere Else, from Edit Profile."""
from flask import abort, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..client import client_address
from ..hypermedia import redirect_after_post, render, wants_fragment
from ..messages import text
from . import bp, service

SIGNED_OUT_KEY = "sessions_signed_out"  # the notice after a plain POST


def section(this_session):
    """What the Where You're Signed In section of Edit Profile needs (`this_session`: the request's)."""
    return {"signed_in_sessions": service.account_sessions(this_session.account, this_session.token),
            "sessions_form": FlaskForm(formdata=None),
            "sessions_notice": session.pop(SIGNED_OUT_KEY, None)}


def answer(notice):
    """htmx: the section again with the notice; otherwise back to Edit Profile (303)."""
    if wants_fragment():  # a boosted or history-restore request gets the redirect, like a plain POST
        return render("account/edit_profile.html", "login_sessions/_list.html",
                      **{**section(current_user.login_session), "sessions_notice": notice})
    session[SIGNED_OUT_KEY] = notice
    return redirect_after_post(url_for("account.edit_profile") + "#sessions-title")


@bp.route("/<session_id>/sign-out", methods=["POST"])
@login_required
def sign_out(session_id):
    """Sign Out: end one other session of this account."""
    this_session = current_user.login_session
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not service.sign_out(this_session.account, session_id, this_session.token, client_address()):
        abort(404)
    return answer(text("login_sessions.signed_out"))


@bp.route("/sign-out-everywhere-else", methods=["POST"])
@login_required
def sign_out_everywhere_else():
    """Sign Out Everywhere Else: every session of this account but this one ends."""
    this_session = current_user.login_session
    if not FlaskForm().validate_on_submit():
        abort(400)
    ended = service.sign_out_everywhere_else(this_session.account, this_session.token, client_address())
    return answer(text("login_sessions.signed_out_everywhere_else" if ended else "login_sessions.nowhere_else"))
