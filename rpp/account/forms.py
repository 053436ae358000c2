"""Change Password form. Edit Profile uses registration's StateDetailsForm: the same fields and rules."""
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo, ValidationError

from .. import validators as rules
from ..messages import text
from . import service


class ChangePasswordForm(FlaskForm):
    """Current Password, New Password, Confirm New Password."""
    current_password = PasswordField("Current Password", [rules.required("your Current Password")])
    new_password = PasswordField("New Password", rules.password("New Password"), description=text("password.help"))
    confirm_new_password = PasswordField("Confirm New Password", [
        rules.required("your New Password again"),
        EqualTo("new_password", message=text("password.confirm_new"))])

    def __init__(self, user_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_name = user_name

    def validate_new_password(self, field):
        """Not the current one, not containing the user name, not a common password."""
        if field.errors:  # the 6–9 letters/digits rule already said what to do
            return
        problem = service.new_password_problem(field.data, self.user_name, self.current_password.data)
        if problem:
            raise ValidationError(problem)
