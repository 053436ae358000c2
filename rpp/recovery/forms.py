"""Forgot User Name and Reset Password forms."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Email, Length, Optional, Regexp

from .. import validators as rules
from ..messages import _l, lazy_text, text

AGENT_ID_HELP = lazy_text("recovery.agent_id_help")


class ForgotUserNameForm(FlaskForm):
    """Agent Unique ID AND E-mail Address linked to the account."""
    agent_id = StringField(_l("Agent Unique ID"), rules.agent_id(), filters=[rules.strip],
                           description=AGENT_ID_HELP)
    email = StringField(_l("E-mail Address"), rules.email(), filters=[rules.strip])


class ResetPasswordForm(FlaskForm):
    """User Name, and the E-mail Address OR the Agent Unique ID linked to the account."""
    user_name = StringField(_l("User Name"), rules.user_name(), filters=[rules.strip])
    email = StringField(_l("E-mail Address"), [
        Optional(), Length(max=254, message=rules.EMAIL_RULE),
        Email(message=rules.EMAIL_RULE, granular_message=False, check_deliverability=False)],
        filters=[rules.strip])
    agent_id = StringField(_l("Agent Unique ID"), [Optional(), Regexp(r"^[0-9]{9}$", message=rules.AGENT_ID_RULE)],
                           filters=[rules.strip], description=AGENT_ID_HELP)

    def validate(self, extra_validators=None):
        """The field rules, and one of E-mail Address and Agent Unique ID is required."""
        valid = super().validate(extra_validators)
        if not self.email.data and not self.agent_id.data:
            self.email.errors.append(text("recovery.email_or_agent_id"))
            return False
        return valid
