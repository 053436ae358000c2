"""Passkeys (WebAuthn, the `webauthn` package): adding one to an account, and signing in with it.

The relying party is the portal as PORTAL_URL names it (never the request's Host): its host is the
RP ID and its origin the only one accepted. Challenges live server-side, are good once and for
CHALLENGE_MINUTES; the browser keeps only the challenge's token (in the session cookie).
"""
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import webauthn
from flask import current_app
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .. import clock, notices
from ..events import record_event
from ..extensions import write_transaction
from ..messages import lazy_text
from ..models import Passkey, PasskeyChallenge

CHALLENGE_MINUTES = 5
RP_NAME = "Retail Producer Portal"


class PasskeyRefused(Exception):
    """The browser's answer did not prove the passkey (or the challenge had expired)."""


def relying_party():
    """(RP ID, origin) from PORTAL_URL."""
    parts = urlsplit(current_app.config["PORTAL_URL"])
    return parts.hostname, f"{parts.scheme}://{parts.netloc}"


def new_challenge(challenge, account=None):
    """Keep a challenge for one answer; returns its token."""
    now = clock.utcnow()
    with write_transaction():
        PasskeyChallenge.delete().where(PasskeyChallenge.expires_at <= now).execute()
        return PasskeyChallenge.create(token=secrets.token_urlsafe(32), challenge=bytes_to_base64url(challenge),
                                       account=account,
                                       expires_at=now + timedelta(minutes=CHALLENGE_MINUTES)).token


def take_challenge(token, account=None):
    """The challenge behind this token, used up now; PasskeyRefused when gone, expired or another's."""
    if not token:
        raise PasskeyRefused("no challenge")
    with write_transaction():
        row = PasskeyChallenge.get_or_none(PasskeyChallenge.token == token)
        if row is not None:
            row.delete_instance()
    if row is None or row.expires_at <= clock.utcnow() or row.account_id != (account.id if account else None):
        raise PasskeyRefused("challenge expired")
    return webauthn.base64url_to_bytes(row.challenge)


def registration_options(account):
    """Options for navigator.credentials.create(), as JSON, and the challenge's token."""
    rp_id, _ = relying_party()
    options = webauthn.generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME, user_name=account.user_name, user_id=f"rpp-{account.id}".encode(),
        user_display_name=f"{account.first_name} {account.last_name}",
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(p.credential_id))
                             for p in Passkey.select().where(Passkey.account == account)])
    return webauthn.options_to_json(options), new_challenge(options.challenge, account)


def add_passkey(account, token, credential, name, client_address=""):
    """Check the browser's new credential against the challenge and keep it under `name` (event, notice
    by e-mail)."""
    rp_id, origin = relying_party()
    try:
        verified = webauthn.verify_registration_response(
            credential=credential, expected_challenge=take_challenge(token, account),
            expected_rp_id=rp_id, expected_origin=origin)
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused(str(error)) from error
    with write_transaction():
        passkey = Passkey.create(account=account, name=name,
                                 credential_id=bytes_to_base64url(verified.credential_id),
                                 public_key=bytes_to_base64url(verified.credential_public_key),
                                 sign_count=verified.sign_count)
        record_event("passkey added", account, client_address, passkey.name)
        notices.notify(account, lazy_text("email.passkey_added"), "passkey_added", passkey_name=passkey.name)
    return passkey


def authentication_options():
    """Options for navigator.credentials.get() (any of the browser's passkeys for this site)."""
    rp_id, _ = relying_party()
    options = webauthn.generate_authentication_options(rp_id=rp_id,
                                                       user_verification=UserVerificationRequirement.PREFERRED)
    return webauthn.options_to_json(options), new_challenge(options.challenge)


def verify_sign_in(token, credential):
    """The passkey that signed this challenge (its sign count moved on); PasskeyRefused otherwise."""
    rp_id, origin = relying_party()
    credential_id = credential.get("id") if isinstance(credential, dict) else None
    passkey = Passkey.get_or_none(Passkey.credential_id == (credential_id or ""))
    challenge = take_challenge(token)
    if passkey is None:
        raise PasskeyRefused("unknown passkey")
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin,
            credential_public_key=webauthn.base64url_to_bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused(str(error)) from error
    Passkey.update(sign_count=verified.new_sign_count, last_used_at=clock.utcnow()).where(
        Passkey.id == passkey.id).execute()
    return passkey


def account_passkeys(account):
    return list(Passkey.select().where(Passkey.account == account).order_by(Passkey.created_at))


def remove_passkey(account, passkey_id, client_address=""):
    """Remove one of the account's passkeys (event); False when it has no such passkey."""
    with write_transaction():
        if Passkey.delete().where(Passkey.account == account, Passkey.id == passkey_id).execute() != 1:
            return False
        record_event("passkey removed", account, client_address)
    return True
