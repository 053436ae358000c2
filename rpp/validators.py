"""The field rules of SPEC §4, shared by every form that has the field (their messages: rpp.messages)."""
import re

from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, StopValidation, ValidationError

from .messages import text as message

PASSWORD_RULE = message("field.password", label="Password")
USER_NAME_RULE = message("field.user_name")
AGENT_ID_RULE = message("field.agent_id")
ZIP_RULE = message("field.zip_code")
PHONE_RULE = message("field.phone")
EMAIL_RULE = message("field.email")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def strip(value):
    """Trim surrounding white space from what was typed."""
    return value.strip() if isinstance(value, str) else value


def required(label):
    """The field must be filled in (white space alone does not count)."""
    return DataRequired(message=message("field.required", what=label))


def no_control_characters(form, field):
    """Refuse tabs, NUL bytes and other characters that cannot be printed on a letter."""
    if field.data and _CONTROL.search(field.data):
        raise StopValidation(message("field.printable", label=field.label.text))


def text(label, maximum=100):
    """Free text such as Company Name or City: printable, at most `maximum` characters."""
    return [no_control_characters,
            Length(max=maximum, message=message("field.too_long", label=label, maximum=maximum))]


def person_name(label):
    """First Name or Last Name."""
    return [required(f"your {label}"), Length(max=50, message=message("field.too_long", label=label, maximum=50)),
            Regexp(r"^[A-Za-z][A-Za-z '.\-]*$", message=message("field.person_name", label=label))]


def password(label="Password"):
    """The carrier's rule: 6–9 letters and/or digits."""
    return [required(f"your {label}"), Regexp(r"^[A-Za-z0-9]{6,9}$", message=message("field.password", label=label))]


def user_name():
    return [required("a User Name"), Regexp(r"^[A-Za-z0-9._\-]{3,30}$", message=USER_NAME_RULE)]


def agent_id():
    return [required("your Agent Unique ID"), Regexp(r"^[0-9]{9}$", message=AGENT_ID_RULE)]


def zip_code():
    return [required("your Zip Code"), Regexp(r"^[0-9]{5}(-[0-9]{4})?$", message=ZIP_RULE)]


def email():
    return [required("your E-mail Address"),
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


__all__ = ["Optional", "Length", "ValidationError", "StopValidation"]
