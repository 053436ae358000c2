"""Sign-in forms."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import InputRequired

from .. import validators as rules
from ..messages import _l, lazy_text


class LoginForm(FlaskForm):
    """User Name and Password, both case sensitive."""
    user_name = StringField(_l("User Name"), [InputRequired(lazy_text("field.required.sign_in_user_name"))],
                            filters=[rules.strip])
    password = PasswordField(rules.PASSWORD, [InputRequired(lazy_text("field.required.password"))])


class SelectStateForm(FlaskForm):
    """The BCBS state to work in when the account is active in several."""
    state = RadioField(_l("State"), [InputRequired(lazy_text("sign_in.select_a_state"))], choices=[])
