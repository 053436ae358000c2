"""Register for the Portal: the registration flow (rpp.registration.flow) for a new account, and inline validation."""
from flask import request

from ..hypermedia import field_error
from ..states import BCBS_STATES
from . import bp
from .flow import RegistrationFlow
from .forms import AccountForm, StateSelection

flow = RegistrationFlow("register", "Registration", new_account=True, back=("auth.sign_in", "Back to Login Page"))
flow.mount(bp, "")


@bp.route("/validate", methods=["POST"])
def validate_field():
    """Inline validation: check the field the producer just left; answer with its error slot's content."""
    name = request.headers.get("HX-Trigger-Name", "")
    state = name.partition("-")[0]
    if state in BCBS_STATES:  # only the form the field belongs to: building all six costs a third of the time
        form, field = StateSelection([state], formdata=request.form).field(name)
    else:
        form = AccountForm()
        field = form._fields.get(name) if name != "csrf_token" else None
    return field_error(form, field)
