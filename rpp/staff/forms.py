"""Console forms: reject with a reason, roster upload."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import Form, StringField
from wtforms.validators import DataRequired

from .. import validators as rules
from ..messages import text


class RejectForm(FlaskForm):
    """Reject needs a reason; it is sent to the producer. One per queue row (prefixed by the row)."""
    class Meta:
        csrf = False  # the app-wide CSRFProtect checks the page's csrf_token; a prefix would rename it

    # DataRequired, not InputRequired: a reason of only spaces is no reason.
    reason = StringField("Reason", [DataRequired(text("staff.reject_reason")),
                                    *rules.text("Reason", maximum=500)], filters=[rules.strip])


class RosterUploadForm(FlaskForm):
    """A roster CSV: state,agent_id (optionally first_name,last_name)."""
    roster_file = FileField(
        "Roster file (CSV)", [FileRequired(text("roster.file_required"))],
        description=text("roster.file_help"))


class SearchForm(Form):
    """Find a producer (a GET form: nothing changes, so no CSRF token)."""
    q = StringField("User name, name, Agent ID or e-mail", rules.text("The search", maximum=100),
                    filters=[rules.strip])
