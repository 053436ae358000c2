"""Password hashing and checking for every area (registration, sign-in, recovery, account, staff).

New hashes are Argon2id (argon2-cffi) at the cost PASSWORD_HASH_METHOD names; werkzeug's
scrypt and pbkdf2 hashes from before still verify, and `needs_rehash` says when a successful
sign-in should store a fresh hash. Each worker runs at most PASSWORD_CHECKS_AT_ONCE hashes at
a time: past that `Busy` is raised at once, so a flood of sign-ins gets "try again in a moment"
instead of queueing for every CPU.
"""
import secrets
import threading
from contextlib import contextmanager
from functools import wraps

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

ARGON2ID = "argon2id:"
ARGON2_PARAMETERS = {"m": "memory_cost", "t": "time_cost", "p": "parallelism"}
ANY_ARGON2 = PasswordHasher()


class Busy(Exception):
    """Every password-check slot of this worker is taken: the answer is "try again in a moment"."""


def argon2_hasher(method):
    """The hasher for "argon2id:m=<KiB>,t=<passes>,p=<lanes>", or ValueError for anything else."""
    try:
        parameters = dict(part.split("=") for part in method[len(ARGON2ID):].split(","))
        if set(parameters) != set(ARGON2_PARAMETERS):
            raise ValueError(method)
        return PasswordHasher(type=Type.ID, **{ARGON2_PARAMETERS[key]: int(value)
                                               for key, value in parameters.items()})
    except ValueError as error:
        raise ValueError(f"PASSWORD_HASH_METHOD {method!r} is not argon2id:m=<KiB>,t=<passes>,p=<lanes> "
                         "(e.g. argon2id:m=19456,t=2,p=1)") from error


class Hashing:
    """One app's hashing: the configured method, a dummy hash and the per-worker slots."""

    def __init__(self, method, checks_at_once):
        self.method = method
        self.argon2 = argon2_hasher(method) if method.startswith(ARGON2ID) else None
        self.slots = threading.BoundedSemaphore(checks_at_once)
        self.held = threading.local()
        self.dummy = self.hash(secrets.token_hex(16))

    def hash(self, password):
        if self.argon2:
            return self.argon2.hash(password)
        return generate_password_hash(password, method=self.method)

    def verify(self, password_hash, password):
        if not password_hash.startswith("$argon2"):
            return check_password_hash(password_hash, password)
        try:  # the cost is read from the hash itself, so any hasher checks any Argon2 hash
            return (self.argon2 or ANY_ARGON2).verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash):
        if self.argon2:
            return not password_hash.startswith("$argon2id$") or self.argon2.check_needs_rehash(password_hash)
        return password_hash.partition("$")[0] != self.method


def init_app(app):
    """Check PASSWORD_HASH_METHOD at start-up and set up this worker's password-check slots."""
    app.extensions["rpp_hashing"] = Hashing(app.config["PASSWORD_HASH_METHOD"],
                                            app.config["PASSWORD_CHECKS_AT_ONCE"])


def hashing():
    return current_app.extensions["rpp_hashing"]


@contextmanager
def slot():
    """Hold one of this worker's password-check slots (re-entrant); Busy at once when none is free."""
    state = hashing()
    depth = getattr(state.held, "depth", 0)
    if depth == 0 and not state.slots.acquire(blocking=False):
        raise Busy()
    state.held.depth = depth + 1
    try:
        yield
    finally:
        state.held.depth = depth
        if depth == 0:
            state.slots.release()


def bounded(function):
    """Run `function` in one slot, so all of its password checks run or none does (Busy first)."""
    @wraps(function)
    def wrapper(*args, **kwargs):
        with slot():
            return function(*args, **kwargs)
    return wrapper


def hash_password(password):
    """The memory-hard hash of a password, at the configured cost."""
    with slot():
        return hashing().hash(password)


def verify_password(password_hash, password):
    """Whether `password` matches the stored `password_hash` (Argon2id, or werkzeug's scrypt/pbkdf2)."""
    with slot():
        return hashing().verify(password_hash, password)


def needs_rehash(password_hash):
    """Whether a hash that just verified was made with another method or cost than the configured one."""
    return hashing().needs_rehash(password_hash)


def dummy_hash():
    """A hash to check when there is nothing to check, so every attempt costs the same."""
    return hashing().dummy
