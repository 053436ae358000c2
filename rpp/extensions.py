"""Extension objects, created once and bound to the app in create_app()."""
import threading

from flask import current_app, request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage
from peewee import DatabaseProxy, SqliteDatabase

from .messages import text



class ThreadSafeMemoryStorage(MemoryStorage):
    """The limiter's memory:// storage, with its expiry timer restarted under a lock.

    limits' own MemoryStorage restarts that timer without one, so two threads of a gthread worker
    can both start the same new timer: "RuntimeError: threads can only be started once", a 500
    (alisaifee/limits#26). Declaring the scheme here makes every memory:// limiter use this class.
    """
    STORAGE_SCHEME = ["memory"]

    def __init__(self, *args, **kwargs):
        self._expiry_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def _MemoryStorage__schedule_expiry(self):
        with self._expiry_lock:
            MemoryStorage._MemoryStorage__schedule_expiry(self)


db = DatabaseProxy()
login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"  # where a signed-out visitor to a producer page is sent
login_manager.login_message = text("sign_in.required")
csrf = CSRFProtect()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
compress = Compress()


@limiter.request_filter
def only_posts_are_limited():
    """Every limit of the portal counts POSTs (limit_per_address, recovery's per-address limit), so
    the limiter's per-request work is skipped for every page a GET shows."""
    return request.method != "POST"


def limit_per_address(setting, **options):
    """A limit on a route's POSTs per client address (the producer's own behind TRUSTED_PROXIES),
    e.g. "20 per minute;200 per hour" from the named setting. Over it: 429. Only POSTs are ever
    limited (only_posts_are_limited)."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"], **options)


def write_transaction():
    """A transaction that takes the write lock at once, so SQLite never fails a lock upgrade."""
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()
