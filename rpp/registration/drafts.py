"""Drafts: what the producer entered, kept server-side between Continue and Submit Registration."""
import json
import secrets
from datetime import timedelta

from flask import current_app

from .. import clock
from ..extensions import write_transaction
from ..models import RegistrationDraft, SubmittedDraft
from ..passwords import hash_password


def oldest_kept():
    """Drafts (and the record of submitted ones) from before this moment have expired."""
    return clock.utcnow() - timedelta(hours=current_app.config["REGISTRATION_DRAFT_HOURS"])


def save_draft(token, account_fields, state_fields, password=None):
    """Keep a checked registration until Submit; returns the draft's token.

    `account_fields` name a new account (user name and names, with its password) or, for
    Register for Another State, the signed-in one (with its `account_id`, and no password).
    """
    data = json.dumps({"account": account_fields, "states": state_fields})
    password_hash = hash_password(password) if password is not None else ""
    with write_transaction():
        RegistrationDraft.delete().where(RegistrationDraft.created_at < oldest_kept()).execute()
        SubmittedDraft.delete().where(SubmittedDraft.submitted_at < oldest_kept()).execute()
        if token:
            RegistrationDraft.delete().where(RegistrationDraft.token == token).execute()
        token = secrets.token_urlsafe(32)
        RegistrationDraft.create(token=token, data=data, password_hash=password_hash)
    return token


def load_draft(token, owner=None):
    """The draft for this token, or None when there is none (submitted, expired or not `owner`'s).

    `owner` is the signed-in account a Register for Another State draft must belong to; a
    Register for the Portal draft (owner None) names no account.
    """
    if not token:
        return None
    draft = RegistrationDraft.get_or_none(RegistrationDraft.token == token,
                                          RegistrationDraft.created_at >= oldest_kept())
    if draft is None or draft.fields["account"].get("account_id") != (owner.id if owner else None):
        return None
    return draft


def end_draft(token, submitted_at):
    """Delete a draft as it is submitted, keeping when; False when it was gone already. Call
    inside the submitting transaction: of several Submits racing, exactly one gets True."""
    if RegistrationDraft.delete().where(RegistrationDraft.token == token).execute() != 1:
        return False
    SubmittedDraft.create(token=token, submitted_at=submitted_at)
    return True


def submitted_at(token):
    """When the draft with this token was submitted, or None."""
    if not token:
        return None
    done = SubmittedDraft.get_or_none(SubmittedDraft.token == token)
    return done.submitted_at if done else None
