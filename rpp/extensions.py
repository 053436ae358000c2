"""Extension objects, created once and bound to the app in create_app()."""
import functools
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

from .messages import lazy_text


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
login_manager.login_message = lazy_text("sign_in.required")
csrf = CSRFProtect()
mail = Mail()


class RouteLimiter(Limiter):
    """Flask-Limiter for limits declared on routes (limit_per_address, recovery's per-address limit),
    which their decorators check when the route runs. Every one counts POSTs only, and the portal sets
    no default, application or blueprint limit (tests/test_fast_paths.py keeps both so). So:

    - the check the extension runs before every request (for those other limits) has nothing to
      count and is skipped;
    - its after-request and teardown hooks (a deduct_when count, headers, the request's notes) run
      for POSTs only.

    Together they cost the sign-in page, a GET, about a tenth of its work (docs/PERFORMANCE.md).
    """

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if not in_middleware:
            super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    def init_app(self, app):
        super().init_app(app)
        for hooks, skipped in ((app.after_request_funcs[None], lambda response: response),
                               (app.teardown_request_funcs[None], lambda error: None)):
            hooks[:] = [posts_only(hook, skipped) if self.registered(hook) else hook for hook in hooks]

    def registered(self, hook):
        """Whether a request hook is one this limiter added (a bound method or a partial of it)."""
        return getattr(hook, "__self__", None) is self or getattr(hook, "args", ())[:1] == (self,)


def posts_only(hook, skipped):
    """The hook for POSTs; `skipped` (doing nothing) for any other request."""
    @functools.wraps(hook)
    def hook_for_posts(value):
        return hook(value) if request.method == "POST" else skipped(value)
    return hook_for_posts


limiter = RouteLimiter(key_func=get_remote_address, default_limits=[])
compress = Compress()


def limit_per_address(setting, **options):
    """A limit on a route's POSTs per client address (the producer's own behind TRUSTED_PROXIES),
    e.g. "20 per minute;200 per hour" from the named setting. Over it: 429."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"], **options)


def write_transaction():
    """A transaction that takes the write lock at once, so SQLite never fails a lock upgrade."""
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()
