"""Every setting of the portal with its default; instance/config.py and FLASK_* override them."""

DEFAULTS = {
    # Storage and mail. DATABASE_URL defaults to sqlite:///<instance>/rpp.sqlite3.
    "DATABASE_URL": None,
    # Connections each process keeps open (one per thread serving requests at once).
    "DATABASE_POOL_SIZE": 32,
    "MAIL_BACKEND": "console",
    "MAIL_FILE_PATH": None,
    "MAIL_DEFAULT_SENDER": "Retail Producer Portal <no-reply@producer-portal.invalid>",
    "MAIL_TIMEOUT": 10,  # seconds, on every step of talking to the mail server
    # The relay (`flask mail relay`) tries an e-mail again after 1, 2, 4 … minutes (at most an
    # hour): 30 tries is about a day. A refusal (5xx) is believed after 3 tries.
    "MAIL_MAX_ATTEMPTS": 30,
    "MAIL_MAX_REFUSALS": 3,
    "MAIL_RELAY_POLL_SECONDS": 5,  # how often the relay looks for new e-mail
    # The base URL put in e-mails; never taken from the request's Host.
    "PORTAL_URL": "http://127.0.0.1:5000",
    "PORTAL_TIMEZONE": "America/Chicago",
    # Sign-in protection.
    "LOCKOUT_THRESHOLD": 3,
    "LOCKOUT_MINUTES": 60,
    # Two-step verification: when True, producers without it set it up at their next sign-in (staff always).
    "TWO_STEP_REQUIRED": False,
    # Two-step secrets are encrypted with this key; empty: a key derived from SECRET_KEY.
    "TWO_STEP_KEY": "",
    "TEMPORARY_PASSWORD_HOURS": 4,
    # The Verification Code step of a sign-in waits this long (More time gives one more period, once).
    "SIGN_IN_STEP_MINUTES": 5,
    # Argon2id at OWASP's Password Storage minimum (19 MiB, 2 passes, 1 lane); werkzeug's
    # "scrypt:32768:8:1" style still works. Older hashes are replaced at the next sign-in.
    "PASSWORD_HASH_METHOD": "argon2id:m=19456,t=2,p=1",
    # Password checks one worker runs at once; past that "try again in a moment" (503), no queue.
    "PASSWORD_CHECKS_AT_ONCE": 2,
    "LOGIN_SESSION_HOURS": 12,
    # A session unused this long ends (the page warns before, with Stay signed in); staff's is shorter.
    "SESSION_IDLE_MINUTES": 30,
    "STAFF_SESSION_IDLE_MINUTES": 15,
    # Edit Profile: e-mail address changes per account in 24 hours (each needs the current password).
    "EMAIL_CHANGES_PER_DAY": 3,
    # Recovery e-mails an hour: per user name / e-mail / Agent ID asked for, and per client address.
    "RECOVERY_LIMIT_PER_ACCOUNT": "3 per hour",
    "RECOVERY_LIMIT_PER_ADDRESS": "10 per hour",
    # Per client address: producer and staff sign-in, registration Continue, inline validation.
    "SIGN_IN_LIMIT_PER_ADDRESS": "20 per minute;200 per hour",
    "REGISTRATION_LIMIT_PER_ADDRESS": "20 per minute;200 per hour",
    "VALIDATION_LIMIT_PER_ADDRESS": "120 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",  # per process: use redis://… with several workers or hosts
    # When that store cannot be reached, count in this process's memory (one warning in the log) until it
    # answers again, rather than answer sign-in, Continue and recovery with an error.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    # Logging (rpp/logs.py): the lowest level written, and `text` or `json` (one JSON object per line).
    "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "text",
    # Addresses (comma-separated, networks allowed) that may read /metrics; anyone else gets 403.
    "METRICS_ALLOW": "127.0.0.1/8,::1",
    # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto are trusted (never the Host).
    "TRUSTED_PROXIES": 0,
    # Retention (`flask maintenance purge`, rpp/maintenance.py): security events, sent e-mail, and the known
    # browsers of accounts that have not signed in for this many days.
    "EVENT_RETENTION_DAYS": 400,
    "MAIL_RETENTION_DAYS": 30,
    "BROWSER_RETENTION_DAYS": 365,
    # A registration between Continue and Submit is kept this long.
    "REGISTRATION_DRAFT_HOURS": 24,
    # After a sign-in with the right password whose registrations were rejected or revoked: how long
    # that browser may register again for those states (Register Again) without signing in again.
    "REGISTER_AGAIN_MINUTES": 30,
    # Producer Services console: staff sign-ins last this long; roster uploads up to this size.
    "STAFF_SESSION_HOURS": 8,
    "ROSTER_UPLOAD_MAX_BYTES": 10_000_000,
    # Request bodies (rpp/limits.py): anything larger is refused with 413 before it is read; the roster
    # upload has its own ROSTER_UPLOAD_MAX_BYTES. A form field in memory, and the parts of one form.
    "MAX_CONTENT_LENGTH": 1_000_000,
    "MAX_FORM_MEMORY_SIZE": 500_000,
    "MAX_FORM_PARTS": 1_000,
    "STAFF_QUEUE_PAGE_SIZE": 50,
    # Cookies.
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "rpp_session",
    "SESSION_COOKIE_SECURE": None,  # None: Secure outside debug (HTTPS only), plain in debug
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    # htmx and CSS are served with a long cache lifetime under versioned URLs.
    "SEND_FILE_MAX_AGE_DEFAULT": 31536000,
    # Compression (Flask-Compress) of pages, fragments, CSS and JavaScript, static files included
    # (the streaming list); answers under 500 bytes, such as most field errors, go as they are.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript", "application/javascript"],
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_BR_LEVEL": 5,  # smaller than gzip -6 at a third of its CPU (docs/PERFORMANCE.md)
}
