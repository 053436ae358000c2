"""The Verification Code field, and turning two-step off."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from .. import validators as rules
from ..messages import _l, lazy_text

CODE_HELP = lazy_text("two_step.code_help")
WRONG_CODE = lazy_text("two_step.wrong_code")
WRONG_CODE_OR_RECOVERY = lazy_text("two_step.wrong_code_or_recovery")
SETUP_CODE_HELP = lazy_text("two_step.set_up_code_help")
VERIFICATION_CODE = _l("Verification Code")
CURRENT_PASSWORD = _l("Current Password")


class VerifyCodeForm(FlaskForm):
    """Verification Code → Verify."""
    code = StringField(VERIFICATION_CODE, [rules.required("field.required.verification_code")], description=CODE_HELP,
                       filters=[rules.strip])


class SetupCodeForm(FlaskForm):
    """The first code from the authenticator app turns two-step on (no recovery codes yet)."""
    code = StringField(VERIFICATION_CODE, [rules.required("field.required.verification_code")],
                       description=SETUP_CODE_HELP, filters=[rules.strip],
                       render_kw={"inputmode": "numeric"})  # only the app's 6 digits here: a phone's number pad


class TurnOffForm(FlaskForm):
    """Current Password and a Verification Code → Turn Off Two-Step Verification."""
    current_password = PasswordField(CURRENT_PASSWORD, [rules.required("field.required.current_password")])
    code = StringField(VERIFICATION_CODE, [rules.required("field.required.verification_code")], description=CODE_HELP,
                       filters=[rules.strip])


class NewRecoveryCodesForm(FlaskForm):
    """Current Password → Get New Recovery Codes (the old ones stop working)."""
    current_password = PasswordField(CURRENT_PASSWORD, [rules.required("field.required.current_password")])
