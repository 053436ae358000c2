"""The portal's languages (English and Spanish, Flask-Babel): which one a page is in, the link that switches,
and the language of every e-mail to a producer.

A page's language: the cookie the switch link set, else the browser's Accept-Language (any Spanish → es),
else English. The Producer Services console (/staff) is English always. An e-mail goes in the language
stored on the producer's account (`Account.language`), whoever sends it (`for_account`).
"""
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import Blueprint, abort, g, has_request_context, redirect, request, url_for
from flask_babel import Babel, force_locale, get_locale
from flask_login import current_user
from jinja2.ext import Extension
from jinja2.lexer import Token

from . import messages
from .extensions import write_transaction
from .hypermedia import safe_next
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
# Its Jinja set-up left out: templates translate with rpp.messages.gettext, which looks the catalogue up once
# per request (Flask-Babel's own callables look it up for every sentence).
babel = Babel(configure_jinja=False)


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


class PhrasesAsFilters(Extension):
    """Templates' `_("a phrase")` (what pybabel extracts) is compiled as `"a phrase"|translate`: Jinja calls a
    filter directly, but a function through Context.call, which looks for pass-argument markers on it each
    time, and the sign-in page says some thirty phrases (docs/translations.md, the instruction budget)."""

    def filter_stream(self, stream):
        tokens = list(stream)
        index = 0
        while index < len(tokens):
            call = [token.type for token in tokens[index:index + 4]]
            if call == ["name", "lparen", "string", "rparen"] and tokens[index].value == "_":
                phrase = tokens[index + 2]
                yield phrase
                yield Token(phrase.lineno, "pipe", "|")
                yield Token(phrase.lineno, "name", "translate")
                index += 4
            else:
                yield tokens[index]
                index += 1


def page_language():
    """The language of the page being rendered ("en" or "es"), for <html lang> and the switch link."""
    return get_locale().language


def other_language():
    """The switch link of this page: (language code, its name in that language)."""
    return OTHER[page_language()]


def switch_urls():
    """The switch link's address for a language: back to this page (its path and query) afterwards. The
    link's own address is worked out once per language and script root (url_for is dear on the busiest page)."""
    links = {}

    def switch_url(language):
        key = (request.script_root, language)
        if key not in links:
            links[key] = url_for("languages.switch", language=language)
        here = request.full_path.rstrip("?") if request.query_string else request.path
        return f"{links[key]}?{urlencode({'next': here}, safe='/')}"
    return switch_url


@contextmanager
def for_account(account):
    """Write an e-mail to this producer in their language (force_locale, with the request's catalogue set
    aside meanwhile)."""
    language = getattr(account, "language", None)
    with force_locale(language if language in LANGUAGES else DEFAULT):
        kept = g.pop(messages.CATALOGUE, None)
        try:
            yield
        finally:
            g.pop(messages.CATALOGUE, None)
            if kept is not None:
                g.setdefault(messages.CATALOGUE, kept)


@bp.route("/language/<language>")
def switch(language):
    """Español / English: remember the choice for a year (and on a signed-in producer's account), then go back."""
    if language not in LANGUAGES:
        abort(404)
    response = redirect(safe_next(request.args.get("next")) or url_for("auth.sign_in"), 303)
    response.set_cookie(COOKIE, language, max_age=COOKIE_SECONDS, secure=request.is_secure, httponly=True,
                        samesite="Lax")
    if current_user.is_authenticated:
        remember_language(current_user.account, language)
    return response


def remember_language(account, language):
    """A producer's language from now on: the pages they sign in to and every e-mail written to them."""
    with write_transaction():
        Account.update(language=language).where(Account.id == account.id).execute()


def init_app(app):
    """Flask-Babel with the portal's selector; every page and fragment varies by the cookie and Accept-Language."""
    babel.init_app(app, locale_selector=select_language)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(gettext=messages.gettext, ngettext=messages.ngettext, newstyle=True)
    app.jinja_env.add_extension(PhrasesAsFilters)
    app.add_template_filter(messages.translate)
    app.add_template_global(page_language)
    app.add_template_global(NAMES, "language_names")
    app.add_template_global(other_language)
    app.add_template_global(switch_urls(), "language_switch_url")

    @app.after_request
    def vary_by_language(response):
        if request.endpoint != "static":
            response.vary.update(("Cookie", "Accept-Language"))
        return response
