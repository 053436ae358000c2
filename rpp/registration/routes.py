"""Register for the Portal: the registration flow (rpp.registration.flow) for a new account, and inline validation."""
from types import SimpleNamespace

from flask import make_response, render_template, request

from ..extensions import limit_per_address
from ..hypermedia import field_error
from ..messages import lazy_text, text
from ..states import BCBS_STATES
from . import again, bp
from .flow import RegistrationFlow
from .forms import AccountForm, StateSelection

flow = RegistrationFlow("register", lazy_text("registration.title"),
                        back=("auth.sign_in", lazy_text("registration.back_to_login")))
flow.mount(bp, "", continue_limit="REGISTRATION_LIMIT_PER_ADDRESS")
# Register Again: the account whose sign-in found its registrations rejected or revoked (rpp.registration.again).
register_again = RegistrationFlow("register_again", lazy_text("registration.register_again"),
                                  owner=again.returning_producer,
                                  back=("auth.sign_in", lazy_text("registration.back_to_login")), back_on_form=True)
register_again.mount(bp, "/again", decorators=[again.register_again_required],
                     continue_limit="REGISTRATION_LIMIT_PER_ADDRESS")


def validation_over_limit(request_limit):
    """Inline validation past its per-address limit: the field's error slot asks for a moment."""
    slot = SimpleNamespace(errors=[text("validation.over_limit")])
    return make_response(render_template("_field_error.html", f=slot), 429)


@bp.route("/validate", methods=["POST"])
@limit_per_address("VALIDATION_LIMIT_PER_ADDRESS", on_breach=validation_over_limit)
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
