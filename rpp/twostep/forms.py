"""The Verification Code field, and turning two-step off."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from .. import validators as rules

CODE_HELP = "Enter the 6-digit code your authenticator app shows, or one of your recovery codes."
WRONG_CODE = "That Verification Code is not correct. Please enter the 6-digit code your app shows now."
WRONG_CODE_OR_RECOVERY = ("That Verification Code is not correct. Please enter the 6-digit code your app "
                          "shows now, or one of your recovery codes.")
SETUP_CODE_HELP = "Enter the 6-digit code your authenticator app shows for the Retail Producer Portal."


class VerifyCodeForm(FlaskForm):
    """Verification Code → Verify."""
    code = StringField("Verification Code", [rules.required("the Verification Code")], description=CODE_HELP,
                       filters=[rules.strip])


class SetupCodeForm(FlaskForm):
    """The first code from the authenticator app turns two-step on (no recovery codes yet)."""
    code = StringField("Verification Code", [rules.required("the Verification Code")],
                       description=SETUP_CODE_HELP, filters=[rules.strip])


class TurnOffForm(FlaskForm):
    """Current Password and a Verification Code → Turn Off Two-Step Verification."""
    current_password = PasswordField("Current Password", [rules.required("your Current Password")])
    code = StringField("Verification Code", [rules.required("the Verification Code")], description=CODE_HELP,
                       filters=[rules.strip])


class NewRecoveryCodesForm(FlaskForm):
    """Current Password → Get New Recovery Codes (the old ones stop working)."""
    current_password = PasswordField("Current Password", [rules.required("your Current Password")])
