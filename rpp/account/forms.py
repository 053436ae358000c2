"""Edit Profile (registration's StateDetailsForm: the same fields and rules) and Change Password forms."""
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo, ValidationError

from .. import messages
from .. import validators as rules
from ..messages import _l, lazy_text, state_name
from ..registration.forms import StateDetailsForm
from ..states import BCBS_STATES
from . import service


class ChangePasswordForm(FlaskForm):
    """Current Password, New Password, Confirm New Password."""
    current_password = PasswordField(_l("Current Password"), [rules.required("field.required.current_password")])
    new_password = PasswordField(_l("New Password"), rules.password("new_password"),
                                 description=lazy_text("password.help"))
    confirm_new_password = PasswordField(_l("Confirm New Password"), [
        rules.required("field.required.new_password_again"),
        EqualTo("new_password", message=lazy_text("password.confirm_new"))])

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


class ProfileForm(StateDetailsForm):
    """Edit Profile: the state's contact fields, and the Current Password when the e-mail address changes."""
    # Not current_password / "Current Password": Change Password's field is on the same page.
    password = PasswordField(_l("Your Password"), description=lazy_text("profile.email_change_help"))

    def __init__(self, stored_email, *args, state=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_email = stored_email
        self.state_name = state_name(state) if state in BCBS_STATES else None

    def validate_password(self, field):
        """Required when the e-mail address changes (whether it is right is the service's to say)."""
        if self.email.data != self.stored_email and not field.data:
            raise ValidationError(messages.text("profile.email_change_needs_password"))

    def cleaned(self):
        data = super().cleaned()
        del data["password"]
        return data
