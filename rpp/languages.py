"""The portal's languages (English and Spanish, Flask-Babel): which one a page is in, the link that switches,
and the language of every e-mail to a producer.

A page's language: the cookie the switch link set, else the browser's Accept-Language (any Spanish → es),
else English. The Producer Services console (/staff) is English always. An e-mail goes in the language
stored on the producer's account (`Account.language`), whoever sends it (`for_account`).
"""
from urllib.parse import urlsplit

from flask import Blueprint, abort, has_request_context, redirect, request, url_for
from flask_babel import Babel, force_locale, get_locale
from flask_login import current_user

from .extensions import write_transaction
from .models import Account

LANGUAGES = ("en", "es")
DEFAULT = "en"
COOKIE = "rpp_language"
COOKIE_SECONDS = 365 * 24 * 60 * 60  # remembered for a year
# Each language by its English name (the console shows a producer's).
NAMES = {"en": "English", "es": "Spanish"}
# The language each page offers to switch to, with the link's words in that language.
OTHER = {"en": ("es", "Español"), "es": ("en", "English")}

bp = Blueprint("languages", __name__)
babel = Babel()


def is_console():
    """The Producer Services console: its staff are the carrier's employees, and it is English only."""
    return request.path == "/staff" or request.path.startswith("/staff/")


def select_language():
    """Flask-Babel's locale selector: the console's English, the switch's cookie, else Accept-Language."""
    if not has_request_context() or is_console():
        return DEFAULT
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT)


def page_language():
    """The language of the page being rendered ("en" or "es"), for <html lang> and the switch link."""
    return get_locale().language


def other_language():
    """The switch link of this page: (language code, its name in that language)."""
    return OTHER[page_language()]


def switch_url(language):
    """The switch link's address: back to this page (its path and query) afterwards."""
    here = request.full_path.rstrip("?") if request.query_string else request.path
    return url_for("languages.switch", language=language, next=here)


def local_path(target):
    """`target` when it is a path on this site (never another host: no open redirect), else None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def for_account(account):
    """The language an e-mail to this producer is written in (force_locale around its rendering)."""
    language = getattr(account, "language", None)
    return force_locale(language if language in LANGUAGES else DEFAULT)


@bp.route("/language/<language>")
def switch(language):
    """Español / English: remember the choice for a year (and on a signed-in producer's account), then go back."""
    if language not in LANGUAGES:
        abort(404)
    response = redirect(local_path(request.args.get("next")) or url_for("auth.sign_in"), 303)
    response.set_cookie(COOKIE, language, max_age=COOKIE_SECONDS, secure=request.is_secure, httponly=True,
                        samesite="Lax")
    if current_user.is_authenticated:
        with write_transaction():
            Account.update(language=language).where(Account.id == current_user.account.id).execute()
    return response


def init_app(app):
    """Flask-Babel with the portal's selector; every page and fragment varies by the cookie and Accept-Language."""
    babel.init_app(app, locale_selector=select_language)
    app.add_template_global(page_language)
    app.add_template_global(NAMES, "language_names")
    app.add_template_global(other_language)
    app.add_template_global(switch_url, "language_switch_url")

    @app.after_request
    def vary_by_language(response):
        if request.endpoint != "static":
            response.vary.update(("Cookie", "Accept-Language"))
        return response
