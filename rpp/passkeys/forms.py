"""The Passkeys section's form: Passkey Name (to add one) and the Current Password every change asks for."""
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import Optional

from .. import validators as rules
from ..messages import _l, lazy_text


class PasskeyForm(FlaskForm):
    """Add a Passkey (Passkey Name) or Remove one (passkey_id), confirmed with the Current Password."""
    name = StringField(_l("Passkey Name"), description=lazy_text("passkeys.name_help"))
    current_password = PasswordField(_l("Current Password"), [rules.required("field.required.current_password")],
                                     description=lazy_text("passkeys.confirm_help"))
    passkey_id = IntegerField(validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="passkey", **kwargs)
