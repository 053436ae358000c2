"""Template gallery for designers: every page, partial and e-mail in each of its states, as static files.

`flask --app app gallery OUTDIR` starts `python -m rpp.devtools.gallery` in a child process, which
builds a throwaway portal (its own app on SQLite in a temporary folder, sample producers registered
through the real forms), walks it with the Flask test client the way producers and Producer Services
do, and saves each state it meets: full pages, htmx fragments (shown inside a bare page with the
portal's CSS), and the e-mails as sent. index.html lists every state with the templates that drew it
and how to reach it in the running portal; gallery.json lists the same for tools. With Chromium at
/usr/bin/chromium and Playwright installed (the `test` extra), each file also gets a PNG screenshot.
The gallery is built once per language (rpp.languages), into OUTDIR/en/ and OUTDIR/es/: the same walk with
the browser's language set, so the pages, and the e-mails of the producers it registers, are in it.

One module per area walks it: sign_in, registration, recovery, account, console, two_step.
"""
import os
import tempfile

from rpp.devtools.portal import upgraded_portal
from rpp.languages import LANGUAGES

from . import account, console, recovery, registration, sign_in, two_step
from .pages import write, write_languages_index
from .recorder import Gallery
from .samples import sample_producers


def walk(gallery):
    """Every state of every template, reached the way a person would reach it (the order matters:
    later areas use the producers, passwords and registrations of earlier ones)."""
    sample_producers(gallery)
    sign_in.sign_in_states(gallery)
    sign_in.rejected_states(gallery)
    registration.registration_states(gallery)
    temporary = recovery.recovery_states(gallery)
    account.change_password_required(gallery, temporary)
    account.signed_in_states(gallery)
    console.console_states(gallery)
    sign_in.other_pages(gallery)
    sign_in.expired_states(gallery)
    two_step.two_step_states(gallery)
    two_step.passkey_states(gallery, gallery.app.config["PORTAL_URL"])


def build(outdir, portal_url, timezone, screenshots=True):
    """The gallery in every language, OUTDIR/<language>/, with an index of the languages; returns
    {language: (shots, screenshots taken, uncovered templates)}. Run it in a process of its own (see
    __main__): its apps bind the models to their own databases."""
    built = {language: build_language(os.path.join(outdir, language), language, portal_url, timezone, screenshots)
             for language in LANGUAGES}
    write_languages_index(outdir, LANGUAGES)
    return built


def build_language(outdir, language, portal_url, timezone, screenshots):
    """One language's gallery from a throwaway portal: (shots, screenshots taken, uncovered templates)."""
    with tempfile.TemporaryDirectory(prefix="rpp-gallery-") as workdir:
        app = upgraded_portal({
            "TESTING": True, "SECRET_KEY": "gallery", "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": f"sqlite:///{workdir}/gallery.sqlite3", "MAIL_BACKEND": "locmem",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "SESSION_COOKIE_SECURE": False,
            "PORTAL_URL": portal_url, "PORTAL_TIMEZONE": timezone,
            "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
        app.extensions["mailman"].outbox = []
        gallery = Gallery(app, language)
        walk(gallery)
        taken, uncovered = write(gallery, outdir, screenshots)
    return gallery.shots, taken, uncovered
