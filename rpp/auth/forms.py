"""Sign-in forms."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import InputRequired

from .. import validators as rules
from ..messages import text


class LoginForm(FlaskForm):
    """User Name and Password, both case sensitive."""
    user_name = StringField("User Name", [InputRequired(text("field.required", what="your User Name"))],
                            filters=[rules.strip])
    password = PasswordField("Password", [InputRequired(text("field.required", what="your Password"))])


class SelectStateForm(FlaskForm):
    """The BCBS state to work in when the account is active in several."""
    state = RadioField("State", [InputRequired(text("sign_in.select_a_state"))], choices=[])
