"""The field rules of SPEC §4, shared by every form that has the field (their messages: rpp.messages)."""
import os
import re
import unicodedata

from flask import current_app
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, StopValidation, ValidationError

from .messages import _l, lazy_text
from .messages import text as message

# Defined once, shown in the language of the page that shows them (lazy).
PASSWORD = _l("Password")
USER_NAME_RULE = lazy_text("field.user_name")
AGENT_ID_RULE = lazy_text("field.agent_id")
ZIP_RULE = lazy_text("field.zip_code")
PHONE_RULE = lazy_text("field.phone")
EMAIL_RULE = lazy_text("field.email")
# A User Name, producer's or staff user's (SPEC §4).
USER_NAME_PATTERN = re.compile(r"^[A-Za-z0-9._\-]{3,30}$")

COMMON_PASSWORDS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "common_passwords.txt")

# Unicode categories that print nothing on a letter: controls, format characters (zero-width spaces,
# bidi overrides), surrogates, private use, unassigned, and line/paragraph separators.
NOT_PRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# Format characters some scripts need inside a word (Persian and Indic names): zero-width non-joiner and joiner.
JOINERS = {"\u200c", "\u200d"}
# Besides letters (and the marks some scripts' letters carry), a name may have these.
NAME_PUNCTUATION = set(" '’-.")


def strip(value):
    """What was typed, composed (Unicode NFC: a decomposed "José" is stored as the usual "José") and trimmed."""
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def printable(character):
    return unicodedata.category(character) not in NOT_PRINTABLE or character in JOINERS


def is_person_name(value):
    """Letters of any script (with their marks), spaces, apostrophes (' ’), hyphens and periods, from a letter on."""
    return (unicodedata.category(value[0]).startswith("L")
            and all(ch in NAME_PUNCTUATION or unicodedata.category(ch)[0] in "LM" or ch in JOINERS for ch in value))


def required(key):
    """The field must be filled in (white space alone does not count); `key` names its whole sentence, e.g.
    field.required.city ("Please enter your City.")."""
    return DataRequired(message=lazy_text(key))


def no_control_characters(form, field):
    """Refuse tabs, line breaks, NUL bytes, invisible and other characters that cannot be printed on a letter."""
    if field.data and not all(printable(ch) for ch in field.data):
        raise StopValidation(message("field.printable", label=field.label.text))


def letters_of_any_script(form, field):
    """A person's name as the producer's licence spells it, in any script."""
    if field.data and not is_person_name(field.data):
        raise ValidationError(message("field.person_name", label=field.label.text))


def text(label, maximum=100):
    """Free text such as Company Name or City: printable, at most `maximum` characters."""
    return [no_control_characters,
            Length(max=maximum, message=lazy_text("field.too_long", label=label, maximum=maximum))]


def person_name(label, required_key):
    """First Name or Last Name: letters of any script, spaces, apostrophes, hyphens, periods; at most 50."""
    return [required(required_key), no_control_characters,
            Length(max=50, message=lazy_text("field.too_long", label=label, maximum=50)), letters_of_any_script]


def password(field="password"):
    """The carrier's rule: 6–9 letters and/or digits. `field` is "password" or "new_password" (the messages'
    field.required.*, field.password.*)."""
    return [required(f"field.required.{field}"),
            Regexp(r"^[A-Za-z0-9]{6,9}$", message=lazy_text(f"field.password.{field}"))]


def common_passwords():
    """The shipped list of the most common passwords (lower case), read once per app."""
    cache = current_app.extensions.setdefault("rpp_common_passwords", {})
    if "list" not in cache:
        with open(COMMON_PASSWORDS_FILE, encoding="utf-8") as listing:
            cache["list"] = frozenset(line.strip().lower() for line in listing
                                      if line.strip() and not line.startswith("#"))
    return cache["list"]


def guessable_password_problem(password, user_name, field="password"):
    """Why this password is too easy to guess (SPEC §4, everywhere a password is chosen), or None."""
    if user_name and user_name.lower() in password.lower():
        return message(f"password.contains_user_name.{field}")
    if password.lower() in common_passwords():
        return message(f"password.common.{field}")
    return None


def user_name():
    return [required("field.required.user_name"), Regexp(USER_NAME_PATTERN, message=USER_NAME_RULE)]


def agent_id():
    return [required("field.required.agent_id"), Regexp(r"^[0-9]{9}$", message=AGENT_ID_RULE)]


def zip_code():
    return [required("field.required.zip_code"), Regexp(r"^[0-9]{5}(-[0-9]{4})?$", message=ZIP_RULE)]


def email():
    return [required("field.required.email"),
            Length(max=254, message=EMAIL_RULE),
            Email(message=EMAIL_RULE, granular_message=False, check_deliverability=False)]


def phone_digits(value):
    """The ten digits of a US phone number as typed, or None when it is not one."""
    if not value or not re.fullmatch(r"[0-9 ()\-.+]+", value):
        return None
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 and digits[0] not in "01" else None


def phone(form, field):
    """A 10-digit US number; stored as digits."""
    if phone_digits(field.data) is None:
        raise ValidationError(PHONE_RULE)


__all__ = ["Length", "Optional", "StopValidation", "ValidationError"]
