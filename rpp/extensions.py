"""Extension objects, created once and bound to the app in create_app()."""
import threading
from typing import ClassVar

from flask import current_app
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage
from peewee import DatabaseProxy, SqliteDatabase

from .messages import lazy_text


class ThreadSafeMemoryStorage(MemoryStorage):
    """The limiter's memory:// storage, counting under one lock.

    limits' own MemoryStorage restarts its expiry timer without a lock, so two threads of a gthread worker
    can both start the same new timer: "RuntimeError: threads can only be started once", a 500
    (alisaifee/limits#26). alisaifee/limits#352 (merged 2026-05-21) fixes it upstream, but no release up to
    5.8.0 has it: drop this class with the first one that does (pyproject.toml keeps limits below 6 till
    then). The storage's public methods that restart the timer run one at a time here. Declaring the
    scheme makes every memory:// limiter use this class.
    """
    STORAGE_SCHEME: ClassVar[list[str]] = ["memory"]  # limits' documented way to name a storage's scheme

    def __init__(self, *args, **kwargs):
        self.counting = threading.Lock()
        super().__init__(*args, **kwargs)

    def incr(self, *args, **kwargs):
        with self.counting:
            return super().incr(*args, **kwargs)

    def decr(self, *args, **kwargs):
        with self.counting:
            return super().decr(*args, **kwargs)

    def acquire_entry(self, *args, **kwargs):
        with self.counting:
            return super().acquire_entry(*args, **kwargs)


db = DatabaseProxy()
login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"  # where a signed-out visitor to a producer page is sent
login_manager.login_message = lazy_text("sign_in.required")
csrf = CSRFProtect()
mail = Mail()


limiter = Limiter(key_func=get_remote_address)
compress = Compress()


def limit_per_address(setting, **options):
    """A limit on a route's POSTs per client address (the producer's own behind TRUSTED_PROXIES),
    e.g. "20 per minute;200 per hour" from the named setting, counted per endpoint (and per `scope=`,
    Flask-Limiter's own). Over it: 429."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"], **options)


def write_transaction():
    """A transaction that takes the write lock at once, so SQLite never fails a lock upgrade."""
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()
