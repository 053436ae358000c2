"""Forgot User Name? and Reset Password?: form → Submit → the same confirmation whatever matched."""
from flask import current_app, g, redirect, url_for

from ..client import client_address
from ..errors import refills
from ..extensions import limiter
from ..hypermedia import render, wants_fragment
from . import bp, service
from .forms import ForgotUserNameForm, ResetPasswordForm


def per_address_limit():
    return current_app.config["RECOVERY_LIMIT_PER_ADDRESS"]


def request_sent(response):
    """Only a request that was accepted (and could send an e-mail) counts against the limit."""
    return g.get("recovery_requested", False)


# At most a few recovery requests an hour per client address: past it, 429 "try again later".
# The per-account quota is the service's (within_account_quota): it stops sending without a word.
per_address = limiter.shared_limit(per_address_limit, scope="recovery-address", methods=["POST"],
                                   deduct_when=request_sent)


def accepted(endpoint):
    """A request was taken (the relay sends any mail); htmx gets the confirmation, a browser a 303."""
    g.recovery_requested = True
    return sent_page(endpoint) if wants_fragment() else redirect(url_for(endpoint), 303)


def sent_page(endpoint):
    """The confirmation with "OK"; the wording for each endpoint is in the partial."""
    return render("recovery/sent.html", "recovery/_sent.html", push_url=url_for(endpoint), sent=endpoint)


def forgot_user_name_form(form=None):
    """The Forgot User Name? form (as sent, when sent from an expired page: rpp.errors)."""
    return render("recovery/forgot_user_name.html", "recovery/_forgot_user_name.html",
                  form=form or ForgotUserNameForm())


@bp.route("/forgot-user-name", methods=["GET", "POST"])
@refills(forgot_user_name_form)
@per_address
def forgot_user_name():
    """Forgot User Name?: Agent Unique ID and E-mail Address → the user name(s) by e-mail."""
    form = ForgotUserNameForm()
    if form.validate_on_submit():
        service.recover_user_name(form.agent_id.data, form.email.data, client_address())
        return accepted("recovery.user_name_sent")
    return forgot_user_name_form(form)


@bp.route("/forgot-user-name/sent")
def user_name_sent():
    """We sent your user name … (the same whether or not anything matched)."""
    return sent_page("recovery.user_name_sent")


def reset_password_form(form=None):
    """The Reset Password? form (as sent, when sent from an expired page: rpp.errors)."""
    return render("recovery/reset_password.html", "recovery/_reset_password.html", form=form or ResetPasswordForm())


@bp.route("/reset-password", methods=["GET", "POST"])
@refills(reset_password_form)
@per_address
def reset_password():
    """Reset Password?: User Name and E-mail Address or Agent Unique ID → a temporary password by e-mail."""
    form = ResetPasswordForm()
    if form.validate_on_submit():
        service.reset_password(form.user_name.data, form.email.data, form.agent_id.data,
                               client_address())
        return accepted("recovery.password_sent")
    return reset_password_form(form)


@bp.route("/reset-password/sent")
def password_sent():
    """We sent a temporary password … (the same whether or not anything matched)."""
    return sent_page("recovery.password_sent")
