"""Console forms: queue filters, bulk decisions, reject/revoke with a reason, roster upload, search, staff users."""
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, Form, HiddenField, PasswordField, RadioField, SelectField, SelectMultipleField,
                     StringField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, ValidationError

from .. import validators as rules
from ..states import BCBS_STATES
from .queue import SORTS, STATUSES, QueueFilter

REASON_REQUIRED = "Please enter the reason for rejecting this registration."


class RejectForm(FlaskForm):
    """Reject needs a reason; it is sent to the producer. One per registration (prefixed by it)."""
    class Meta:
        csrf = False  # the app-wide CSRFProtect checks the page's csrf_token; a prefix would rename it

    # DataRequired, not InputRequired: a reason of only spaces is no reason.
    reason = StringField("Reason", [DataRequired(REASON_REQUIRED), *rules.text("Reason", maximum=500)],
                         filters=[rules.strip])


class RevokeForm(FlaskForm):
    """Revoke an active registration: the reason is sent to the producer. One per registration."""
    class Meta:
        csrf = False  # as RejectForm

    reason = StringField("Reason", [DataRequired("Please enter the reason for revoking this registration."),
                                    *rules.text("Reason", maximum=500)], filters=[rules.strip])


class RosterUploadForm(FlaskForm):
    """A roster CSV: state,agent_id (optionally first_name,last_name)."""
    roster_file = FileField(
        "Roster file (CSV)", [FileRequired("Please choose the roster CSV file to upload.")],
        description="Columns state,agent_id, optionally first_name,last_name. A file with any bad "
                    "line imports nothing.")


class SearchForm(Form):
    """Find a producer (a GET form: nothing changes, so no CSRF token)."""
    q = StringField("User name, name, Agent ID or e-mail", rules.text("The search", maximum=100),
                    filters=[rules.strip])


def iso_date(form, field):
    """A date typed as the date picker sends it (YYYY-MM-DD)."""
    if field.data:
        try:
            field.parsed = date.fromisoformat(field.data)
        except ValueError:
            raise ValidationError(f"Please enter the {field.label.text.lower()} date as YYYY-MM-DD, "
                                  "for example 2026-11-30.")


def choices(labels):
    """Select options from {value: label}."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class QueueFilterForm(Form):
    """Which registrations the queue shows (a GET form: bookmarkable, no CSRF token)."""
    q = StringField("Search", rules.text("The search", maximum=100), filters=[rules.strip],
                    description="User name, name, Agent ID or e-mail")
    state = SelectField("State", choices=choices({"": "All states", **BCBS_STATES}), default="")
    status = SelectField("Status", choices=choices(STATUSES), default="pending")
    overdue = BooleanField("Overdue only")
    date_from = StringField("From", [iso_date], filters=[rules.strip], render_kw={"type": "date"})
    date_to = StringField("To", [iso_date], filters=[rules.strip], render_kw={"type": "date"})
    sort = SelectField("Sort", choices=choices(SORTS), default="oldest")

    def filters(self, page):
        """The QueueFilter of the valid fields (a field in error falls back to its default)."""
        ok = {name: not field.errors for name, field in self._fields.items()}
        return QueueFilter(
            q=self.q.data if ok["q"] and self.q.data else "",
            state=self.state.data if ok["state"] and self.state.data else "",
            status=self.status.data if ok["status"] and self.status.data in STATUSES else "pending",
            overdue=bool(self.overdue.data),
            date_from=getattr(self.date_from, "parsed", None) if ok["date_from"] else None,
            date_to=getattr(self.date_to, "parsed", None) if ok["date_to"] else None,
            sort=self.sort.data if ok["sort"] and self.sort.data in SORTS else "oldest",
            page=max(page, 1))


class BulkForm(FlaskForm):
    """Activate Selected / Reject Selected: the ticked registrations, one reason for all rejections."""
    registration = SelectMultipleField("Select", coerce=int, validate_choice=False)
    action = HiddenField()
    reason = StringField("Reason for rejecting (sent to each producer)", [*rules.text("Reason", maximum=500)],
                         filters=[rules.strip])
    back = HiddenField()

    def validate_registration(self, field):
        if not field.data:
            raise ValidationError("Please select at least one registration.")

    def validate_action(self, field):
        if field.data not in ("activate", "reject"):
            raise ValidationError("Please select Activate Selected or Reject Selected.")

    def validate_reason(self, field):
        if self.action.data == "reject" and not field.data:
            raise ValidationError("Please enter the reason for rejecting the selected registrations.")


def staff_password(form, field):
    """The staff password rule (not the producers' 6–9 characters)."""
    from .service import staff_password_problem
    problem = staff_password_problem(field.data)
    if problem:
        raise ValidationError(problem)


class StaffUserForm(FlaskForm):
    """An admin creates a staff user with an initial password they must change at first sign-in."""
    user_name = StringField("User Name", [InputRequired("Please enter a user name.")], filters=[rules.strip])
    role = RadioField("Role", choices=choices({"clerk": "Clerk: queue, search, unlock, revoke",
                                               "admin": "Admin: also staff users and the roster"}),
                      default="clerk")
    password = PasswordField("Initial password", [InputRequired("Please enter an initial password."),
                                                  staff_password],
                             description="At least 12 characters. Tell it to them in person or by phone; "
                                         "they must change it when they first sign in.")


class StaffPasswordForm(FlaskForm):
    """A staff user changes their own password (at first sign-in: the initial one)."""
    current_password = PasswordField("Current password", [InputRequired("Please enter your current password.")])
    new_password = PasswordField("New password", [InputRequired("Please enter a new password."), staff_password],
                                 description="At least 12 characters.")
    confirm_password = PasswordField("Confirm new password", [
        InputRequired("Please confirm the new password."),
        EqualTo("new_password", "The new password and its confirmation do not match.")])
