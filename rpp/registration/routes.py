"""Register for the Portal: form → Continue → confirmation (Edit / Submit Registration) → submitted."""
from datetime import datetime
from types import SimpleNamespace

from flask import make_response, redirect, render_template, request, session, url_for

from ..extensions import limit_per_address
from ..hypermedia import field_error, redirect_after_post, render, wants_fragment
from ..messages import text
from ..states import BCBS_STATES
from . import bp, drafts, service
from .activation import expected_activation
from .forms import AccountForm, StateSelection

DRAFT_KEY = "registration_draft"
SUBMITTED_KEY = "registration_submitted"


def forms_from_draft(draft):
    """The account form and state blocks, filled from the draft when there is one."""
    if draft is None:
        return AccountForm(formdata=None), StateSelection(BCBS_STATES)
    fields = draft.fields
    states = {code: dict(values, register=True) for code, values in fields["states"].items()}
    return AccountForm(formdata=None, data=fields["account"]), StateSelection(BCBS_STATES, data=states)


def render_form(account_form, states):
    return render("registration/register.html", "registration/_form.html",
                  push_url=url_for("registration.register"), form=account_form, states=states)


@bp.route("", methods=["GET"])
def register():
    """The registration form; after "Edit" it is filled with what was entered."""
    return render_form(*forms_from_draft(drafts.load_draft(session.get(DRAFT_KEY))))


@bp.route("", methods=["POST"])
@limit_per_address("REGISTRATION_LIMIT_PER_ADDRESS")
def continue_registration():
    """Continue: check everything, keep it server-side, show the confirmation."""
    account_form = AccountForm()
    states = StateSelection(BCBS_STATES, formdata=request.form)
    account_ok = account_form.validate_on_submit()
    if not (states.validate() and account_ok):
        return render_form(account_form, states)
    account_fields = {name: account_form[name].data for name in ("first_name", "last_name", "user_name")}
    session[DRAFT_KEY] = drafts.save_draft(session.get(DRAFT_KEY), account_fields, states.cleaned(),
                                            account_form.password.data)
    return confirm() if wants_fragment() else redirect(url_for("registration.confirm"), 303)


@bp.route("/confirm")
def confirm():
    """Print this page for your records: what will be submitted."""
    draft = drafts.load_draft(session.get(DRAFT_KEY))
    if draft is None:  # Back after Submit Registration shows what was done, not an empty form
        return redirect(url_for("registration.submitted" if session.get(SUBMITTED_KEY) else "registration.register"))
    return render("registration/confirm.html", "registration/_confirm.html",
                  push_url=url_for("registration.confirm"), fields=draft.fields,
                  edit_url=url_for("registration.register"), submit_url=url_for("registration.submit"))


@bp.route("/submit", methods=["POST"])
def submit():
    """Submit Registration: store the account and its states as pending, in one transaction."""
    draft = drafts.load_draft(session.get(DRAFT_KEY))
    if draft is None:  # a second click, or the draft expired
        done = session.get(SUBMITTED_KEY)
        return redirect_after_post(url_for("registration.submitted" if done else "registration.register"))
    try:
        account = service.submit_registration(draft, request.remote_addr)
    except service.DuplicateRegistration as duplicate:
        account_form, states = forms_from_draft(draft)
        field = account_form.user_name if duplicate.field == "user_name" else states.field(duplicate.field)[1]
        field.errors = [duplicate.message]
        return render_form(account_form, states)
    session.pop(DRAFT_KEY, None)
    session[SUBMITTED_KEY] = account.created_at.isoformat()
    return submitted() if wants_fragment() else redirect(url_for("registration.submitted"), 303)


@bp.route("/submitted")
def submitted():
    """Registration Information Submitted, with the expected activation time."""
    submitted_at = session.get(SUBMITTED_KEY)
    if not submitted_at:
        return redirect(url_for("registration.register"))
    expected = expected_activation(datetime.fromisoformat(submitted_at))
    return render("registration/submitted.html", "registration/_submitted.html",
                  push_url=url_for("registration.submitted"), expected=expected,
                  back_url=url_for("auth.sign_in"), back_label="Back to Login Page")


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
