"""Sign-in forms."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import InputRequired

from .. import validators as rules


class LoginForm(FlaskForm):
    """User Name and Password, both case sensitive."""
    user_name = StringField("User Name", [InputRequired("Please enter your User Name.")],
                            filters=[rules.strip])
    password = PasswordField("Password", [InputRequired("Please enter your Password.")])


class SelectStateForm(FlaskForm):
    """The BCBS state to work in when the account is active in several."""
    state = RadioField("State", [InputRequired("Please select a state.")], choices=[])
