"""Password hashing and checking, used by registration, sign-in, recovery, the account and staff."""
import secrets

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password):
    """The memory-hard hash of a password, at the configured cost."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash, password):
    """Whether `password` matches the stored `password_hash`."""
    return check_password_hash(password_hash, password)


def dummy_hash():
    """A hash to check when there is nothing to check, so every attempt costs the same."""
    cache = current_app.extensions.setdefault("rpp_dummy_hash", {})
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in cache:
        cache[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return cache[method]
