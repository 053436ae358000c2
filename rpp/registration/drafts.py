"""Drafts: what the producer entered, kept server-side between Continue and Submit Registration."""
import json
import secrets
from datetime import timedelta

from flask import current_app

from .. import clock
from ..extensions import write_transaction
from ..models import RegistrationDraft
from ..passwords import hash_password


def oldest_kept():
    """Drafts created before this moment have expired."""
    return clock.utcnow() - timedelta(hours=current_app.config["REGISTRATION_DRAFT_HOURS"])


def save_draft(token, account_fields, state_fields, password=None):
    """Keep a checked registration until Submit; returns the draft's token.

    Register for Another State has no password: its draft keeps an empty hash.
    """
    data = json.dumps({"account": account_fields, "states": state_fields})
    password_hash = hash_password(password) if password is not None else ""
    with write_transaction():
        RegistrationDraft.delete().where(RegistrationDraft.created_at < oldest_kept()).execute()
        if token:
            RegistrationDraft.delete().where(RegistrationDraft.token == token).execute()
        token = secrets.token_urlsafe(32)
        RegistrationDraft.create(token=token, data=data, password_hash=password_hash)
    return token


def load_draft(token):
    """The draft for this token, or None when there is none (or it expired)."""
    if not token:
        return None
    return RegistrationDraft.get_or_none(RegistrationDraft.token == token,
                                         RegistrationDraft.created_at >= oldest_kept())
