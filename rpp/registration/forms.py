"""Registration forms: the account fields and one per-state form for each BCBS state."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, ValidationError

from .. import validators as rules
from ..messages import _l, lazy_text, state_name, text
from ..states import US_STATES
from . import service

SELECT_A_STATE = lazy_text("registration.select_a_state")


class AccountForm(FlaskForm):
    """First Name, Last Name, User Name, Password, Confirm Password."""
    first_name = StringField(_l("First Name"), rules.person_name(_l("First Name"), "field.required.first_name"),
                             filters=[rules.strip])
    last_name = StringField(_l("Last Name"), rules.person_name(_l("Last Name"), "field.required.last_name"),
                            filters=[rules.strip])
    user_name = StringField(_l("User Name"), rules.user_name(), filters=[rules.strip],
                            description=lazy_text("user_name.help"))
    password = PasswordField(rules.PASSWORD, rules.password(), description=lazy_text("password.help"))
    confirm_password = PasswordField(_l("Confirm Password"), [
        rules.required("field.required.password_again"),
        EqualTo("password", message=lazy_text("registration.confirm_password"))])

    def validate_user_name(self, field):
        """Unique ignoring case."""
        if service.user_name_taken(field.data):
            raise ValidationError(text("registration.user_name_taken"))

    def validate_password(self, field):
        """Not a common password, not containing the User Name (the same rule as Change Password)."""
        if field.errors:  # the 6–9 letters/digits rule already said what to do
            return
        problem = rules.guessable_password_problem(field.data, self.user_name.data)
        if problem:
            raise ValidationError(problem)


class StateDetailsForm(Form):
    """The per-state contact fields, shared by registration and Edit Profile."""
    # The state's fields in the order the page shows them (_state_details.html renders details()).
    DETAILS = ("company_name", "address_1", "address_2", "city", "address_state", "zip_code", "agent_id", "phone",
               "email")
    state_name = None  # the BCBS state's name, which the error summary gives with these fields' errors
    company_name = StringField(_l("Company Name"), rules.text(_l("Company Name")), filters=[rules.strip])
    address_1 = StringField(_l("Address 1"), [rules.required("field.required.address_1"), *rules.text(_l("Address 1"))],
                            filters=[rules.strip])
    address_2 = StringField(_l("Address 2"), rules.text(_l("Address 2")), filters=[rules.strip])
    city = StringField(_l("City"), [rules.required("field.required.city"), *rules.text(_l("City"))],
                       filters=[rules.strip])
    address_state = SelectField(_l("State"), choices=[SelectChoice(code, _l(name)) for code, name in US_STATES.items()],
                                validate_choice=False)
    zip_code = StringField(_l("Zip Code"), rules.zip_code(), filters=[rules.strip])
    phone = StringField(_l("Phone"), [rules.required("field.required.phone"), rules.phone], filters=[rules.strip])
    email = StringField(_l("E-mail Address"), rules.email(), filters=[rules.strip])

    def validate_address_state(self, field):
        """One of the US states or DC."""
        if field.data not in US_STATES:
            raise ValidationError(text("field.address_state"))

    def details(self):
        """The state's fields in the page's order (the Agent Unique ID only where the form has one)."""
        return [self[name] for name in self.DETAILS if name in self._fields]

    def in_page_order(self):
        """Every field in the page's order: the state's, then the form's others (Your Password on Edit Profile)."""
        return self.details() + [field for field in self if field.short_name not in self.DETAILS]

    def labels(self):
        """The guide's label of each field, e.g. zip_code → "Zip Code"."""
        return {name: str(field.label.text) for name, field in self._fields.items()}

    def cleaned(self):
        """The values to store: phone as digits."""
        data = {name: self[name].data for name in self._fields}
        data["phone"] = rules.phone_digits(data["phone"])
        # An optional field left out of the post altogether arrives as None: store it empty.
        data["company_name"] = data["company_name"] or ""
        data["address_2"] = data["address_2"] or ""
        return data


# What "Same details as <first selected state>" copies: every detail but the Agent Unique ID, which is per state.
SAME_DETAILS = tuple(name for name in StateDetailsForm.DETAILS if name != "agent_id")


class StateRegistrationForm(StateDetailsForm):
    """One BCBS state's block: "Register for Texas", "Same details as …", its fields and the Agent Unique ID."""
    register = BooleanField()
    same_as = BooleanField(lazy_text("registration.same_details_as_first"),
                           description=lazy_text("registration.same_details_help"))
    agent_id = StringField(_l("Agent Unique ID"), rules.agent_id(), filters=[rules.strip],
                           description=lazy_text("registration.agent_id_help"))

    def __init__(self, bcbs_state, *args, **kwargs):
        self.bcbs_state, self.state_name = bcbs_state, state_name(bcbs_state)
        super().__init__(*args, prefix=bcbs_state, **kwargs)
        self.register.label.text = text("registration.register_for", state=self.state_name)
        if not self.address_state.data:
            self.address_state.data = bcbs_state

    def validate_agent_id(self, field):
        """On the roster for this state and not already registered there."""
        problem = service.agent_id_problem(self.bcbs_state, field.data)
        if problem:
            raise ValidationError(problem)

    def cleaned(self):
        data = super().cleaned()
        del data["register"], data["same_as"]
        return data


class StateSelection:
    """Every (or every remaining) "Register for <State>" block; at least one must be checked."""
    same_details = SAME_DETAILS

    def __init__(self, states, formdata=None, data=None):
        data = data or {}
        self.forms = {code: StateRegistrationForm(code, formdata=formdata, data=data.get(code))
                      for code in states}
        self.error = None
        if formdata is not None:
            self.copy_same_details(formdata)
        self.name_the_first()

    def copy_same_details(self, formdata):
        """"Same details as" without JavaScript: each further selected state whose box is ticked gets the
        first selected state's details as posted (not its Agent Unique ID); its fields stay editable."""
        first, *others = self.selected or [None]
        copying = [code for code in others if self.forms[code].same_as.data]
        if not copying:
            return
        copied = formdata.copy()
        for code in copying:
            for name in SAME_DETAILS:
                copied.setlist(f"{code}-{name}", formdata.getlist(f"{first}-{name}"))
            self.forms[code] = StateRegistrationForm(code, formdata=copied)

    def name_the_first(self):
        """Each "Same details as" box names the first selected state once there is one."""
        if self.selected:
            for form in self.forms.values():
                form.same_as.label.text = text("registration.same_details_as", state=state_name(self.first))

    @property
    def first(self):
        """The first selected state (in the page's order), whose details the others may copy; None before any."""
        return (self.selected or [None])[0]

    @property
    def selected(self):
        return [code for code, form in self.forms.items() if form.register.data]

    def validate(self):
        """Validate the checked states only; unchecked blocks are ignored."""
        if not self.selected:
            self.error = SELECT_A_STATE
            return False
        return all([self.forms[code].validate() for code in self.selected])

    def cleaned(self):
        return {code: self.forms[code].cleaned() for code in self.selected}

    def field(self, name):
        """The field called `name` as posted, e.g. "TX-zip_code", with its form."""
        code, _, field_name = name.partition("-")
        form = self.forms.get(code)
        if form is None or field_name not in form._fields:
            return None, None
        return form, form[field_name]
