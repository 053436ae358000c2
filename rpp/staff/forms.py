"""Console forms: queue filters, bulk decisions, reject/revoke with a reason, roster upload, search, staff users."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Optional, ValidationError

from .. import validators as rules
from ..messages import text
from ..states import BCBS_STATES
from .queue import SORTS, STATUSES, QueueFilter
from .staff_users import STAFF_PASSWORD_MIN, staff_password_problem

REASON_REQUIRED = text("staff.reject_reason")


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

    reason = StringField("Reason", [DataRequired(text("staff.revoke_reason")),
                                    *rules.text("Reason", maximum=500)], filters=[rules.strip])


class ResetTwoStepForm(FlaskForm):
    """Reset a producer's two-step verification: why (kept in the event; the producer is e-mailed)."""
    class Meta:
        csrf = False  # as RejectForm

    reason = StringField("Reason", [DataRequired(text("staff.reset_two_step_reason")),
                                    *rules.text("Reason", maximum=500)], filters=[rules.strip],
                         description=text("staff.reset_two_step_help"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="two-step", **kwargs)


class RosterUploadForm(FlaskForm):
    """A roster CSV: state,agent_id (optionally first_name,last_name)."""
    roster_file = FileField(
        "Roster file (CSV)", [FileRequired(text("roster.file_required"))], description=text("roster.file_help"))


class SearchForm(Form):
    """Find a producer (a GET form: nothing changes, so no CSRF token)."""
    q = StringField(text("staff.search_help"), rules.text("The search", maximum=100),
                    filters=[rules.strip])


class PickedDateField(DateField):
    """A date as the date picker sends it (YYYY-MM-DD); one that is not says how to type it, beside the field."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(text("staff.date_format", which=self.label.text.lower())) from None


def choices(labels):
    """Select options from {value: label}."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class QueueFilterForm(Form):
    """Which registrations the queue shows (a GET form: bookmarkable, no CSRF token)."""
    q = StringField("Search", rules.text("The search", maximum=100), filters=[rules.strip],
                    description=text("staff.search_help"))
    state = SelectField("State", choices=choices({"": "All states", **BCBS_STATES}), default="")
    status = SelectField("Status", choices=choices(STATUSES), default="pending")
    overdue = BooleanField("Overdue only")
    date_from = PickedDateField("From", [Optional()])
    date_to = PickedDateField("To", [Optional()])
    sort = SelectField("Sort", choices=choices(SORTS), default="oldest")

    def filters(self, page):
        """The QueueFilter of the valid fields (a field in error falls back to its default)."""
        ok = {name: not field.errors for name, field in self._fields.items()}
        return QueueFilter(
            q=self.q.data if ok["q"] and self.q.data else "",
            state=self.state.data if ok["state"] and self.state.data else "",
            status=self.status.data if ok["status"] and self.status.data in STATUSES else "pending",
            overdue=bool(self.overdue.data),
            date_from=self.date_from.data if ok["date_from"] else None,
            date_to=self.date_to.data if ok["date_to"] else None,
            sort=self.sort.data if ok["sort"] and self.sort.data in SORTS else "oldest",
            page=max(page, 1))


class BulkForm(FlaskForm):
    """Activate Selected / Reject Selected: the ticked registrations, one reason for all rejections."""
    registration = SelectMultipleField("Select", coerce=int, validate_choice=False)
    action = HiddenField()
    reason = StringField(text("staff.bulk_reason_label"), [*rules.text("Reason", maximum=500)],
                         filters=[rules.strip])
    back = HiddenField()

    def validate_registration(self, field):
        if not field.data:
            raise ValidationError(text("staff.select_registrations"))

    def validate_action(self, field):
        if field.data not in ("activate", "reject"):
            raise ValidationError(text("staff.select_action"))

    def validate_reason(self, field):
        if self.action.data == "reject" and not field.data:
            raise ValidationError(text("staff.bulk_reject_reason"))


def staff_password(form, field):
    """The staff password rule (not the producers' 6–9 characters)."""
    problem = staff_password_problem(field.data)
    if problem:
        raise ValidationError(problem)


class StaffUserForm(FlaskForm):
    """An admin creates a staff user with an initial password they must change at first sign-in."""
    user_name = StringField("User Name", [InputRequired(text("staff.user_name_required"))], filters=[rules.strip])
    role = RadioField("Role", choices=choices({"clerk": text("staff.role.clerk"), "admin": text("staff.role.admin")}),
                      default="clerk")
    password = PasswordField("Initial password", [InputRequired(text("staff.initial_password_required")),
                                                  staff_password],
                             description=text("staff.initial_password_help", minimum=STAFF_PASSWORD_MIN))


class StaffPasswordForm(FlaskForm):
    """A staff user changes their own password (at first sign-in: the initial one)."""
    current_password = PasswordField("Current password", [InputRequired(text("staff.current_password_required"))])
    new_password = PasswordField("New password", [InputRequired(text("staff.new_password_required")), staff_password],
                                 description=text("staff.new_password_help", minimum=STAFF_PASSWORD_MIN))
    confirm_password = PasswordField("Confirm new password", [
        InputRequired(text("staff.confirm_password_required")),
        EqualTo("new_password", text("staff.confirm_password"))])
