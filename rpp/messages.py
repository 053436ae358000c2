"""Every sentence the portal shows, by name, in the guide's words: templates, services, forms and tests
name a message by its key, so a wording (or, later, a translation) changes in one place.

A message may name a number that comes from the settings or the states (`{lockout_threshold}`,
`{state_count}`), written as the guide writes it ("three"), and links as `[words](endpoint)`:
`text()` gives the plain sentence (the link's words), `markup()` the HTML with the links.
"""
import re
import string

from flask import current_app, url_for
from markupsafe import Markup, escape

MESSAGES = {
    # Error pages: (title, sentence) pairs named <error>.title / <error>.message.
    "error.not_found.title": "Page not found",
    "error.not_found.message": "We could not find that page.",
    "error.csrf.title": "Please try again",
    "error.csrf.message": "Your session expired or the form was sent twice. "
                          "Please go back, reload the page and try again.",
    "error.too_many_requests.title": "Please try again later",
    "error.too_many_requests.message": "We have received too many requests. Please try again later.",
    "error.busy.title": "Please try again in a moment",
    "error.busy.message": "We are checking many passwords just now and could not check yours. "
                          "Nothing was changed. Please try again in a moment.",
    "error.database.title": "Please try again in a few minutes",
    "error.database.message": "We could not save your information just now. Nothing was changed. "
                              "Please try again in a few minutes.",
    "error.server.title": "Something went wrong",
    "error.server.message": "We could not complete your request. Nothing was changed. "
                            "Please try again in a few minutes.",
    # Inline validation past its per-address limit, in the field's error slot.
    "validation.over_limit": "We cannot check this just now. Please try again in a moment.",
    # Flask-Login's note when a signed-out visitor opens a page that needs a sign-in.
    "sign_in.required": "Please log in to see that page.",
}

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve")
LINK = re.compile(r"\[([^\]]+)\]\(([\w.]+)\)")


def number_word(number):
    """A count as the guide writes it: "three" up to twelve, digits above."""
    return NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else str(number)


def from_settings(name):
    """The value of a `{name}` a message takes from the settings or the states."""
    from .states import BCBS_STATES as STATES
    config = current_app.config
    values = {
        "lockout_threshold": lambda: number_word(config["LOCKOUT_THRESHOLD"]),
        "lockout_threshold_number": lambda: config["LOCKOUT_THRESHOLD"],
        "lockout_minutes": lambda: config["LOCKOUT_MINUTES"],
        "temporary_password_hours": lambda: config["TEMPORARY_PASSWORD_HOURS"],
        "state_count": lambda: number_word(len(STATES)),
    }
    return values[name]()


def fill(template, values):
    """The message's `{names}` filled from `values`, the rest from the settings."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    missing = {name: from_settings(name) for name in names - values.keys()}
    return {**values, **missing}


def text(key, **values):
    """The plain sentence: numbers filled in, links as their words (forms, e-mails, CLI, tests)."""
    template = MESSAGES[key]
    return LINK.sub(r"\1", template).format(**fill(template, values))


def markup(key, **values):
    """The sentence as HTML: escaped, numbers filled in, `[words](endpoint)` as links (templates)."""
    template = MESSAGES[key]
    linked = LINK.sub(lambda link: f'<a href="{url_for(link[2])}">{link[1]}</a>', str(escape(template)))
    return Markup(linked).format(**fill(template, values))
