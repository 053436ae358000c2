"""Keys for two-step verification: secrets are encrypted at rest, recovery codes kept as keyed hashes.

The key comes from TWO_STEP_KEY when it is set, else it is derived from SECRET_KEY (HKDF), so a
deployment needs no new setting to start. Changing the key makes existing authenticator links
unreadable: producers then set up two-step again (or Producer Services resets it).
"""
import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def derived_key(purpose):
    """32 bytes for one purpose, from TWO_STEP_KEY or SECRET_KEY."""
    material = current_app.config.get("TWO_STEP_KEY") or current_app.config["SECRET_KEY"]
    if isinstance(material, str):
        material = material.encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"rpp two-step {purpose}".encode()).derive(material)


def fernet():
    return Fernet(base64.urlsafe_b64encode(derived_key("secrets")))


def encrypt(text):
    """Encrypt a secret for storage."""
    return fernet().encrypt(text.encode()).decode()


def decrypt(token):
    """The stored secret in the clear; None when it was encrypted under another key."""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def code_hash(code):
    """A recovery code's keyed hash: the codes are random, so a fast keyed hash is enough."""
    return hmac.new(derived_key("recovery codes"), code.encode(), hashlib.sha256).hexdigest()
