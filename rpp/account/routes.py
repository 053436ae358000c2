"""Edit Your Profile, Register for Another State and Change Your Password (Account → Edit Profile)."""
from datetime import datetime

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from ..auth import SIGN_IN_OUTCOME_KEY
from ..auth.service import active_states
from ..hypermedia import field_error, redirect_after_post, render, wants_fragment
from ..registration.forms import StateDetailsForm, StateSelection
from ..login_sessions.routes import section as sessions_section
from ..registration.activation import expected_activation
from ..registration.service import DuplicateRegistration
from ..twostep.section import section as two_step_section
from . import bp, service
from .forms import ChangePasswordForm

DRAFT_KEY = "another_state_draft"
SUBMITTED_KEY = "another_state_submitted"
PROFILE_UPDATED_KEY = "profile_updated"
PASSWORD_UPDATED_KEY = "password_updated"


def producer():
    """The signed-in account."""
    return current_user.account


def login_session():
    """The login session this request is signed in with."""
    return current_user.login_session


def client_address():
    return request.remote_addr or ""


def select_state_first():
    """Edit Profile is for one state: ask which first (after a POST too, with a 303)."""
    return redirect(url_for("auth.select_state", next=url_for("account.edit_profile")),
                    303 if request.method == "POST" else 302)


def render_profile(registration, profile_form=None, password_form=None):
    """The Edit Profile page (or, for htmx, the profile panel) for the selected state."""
    account = producer()
    return render("account/edit_profile.html", "account/_profile.html", registration=registration,
                  profile_form=profile_form or StateDetailsForm(obj=registration),
                  password_form=password_form or ChangePasswordForm(account.user_name, formdata=None),
                  other_states=service.unregistered_states(account),
                  can_switch=len(active_states(account)) > 1,
                  activity=service.recent_activity(account), **two_step_section(account),
                  **sessions_section(login_session()))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit Your Profile for the selected state; "Update Profile" stores the editable fields."""
    account = producer()
    registration = service.registration_for(account, login_session().selected_state)
    if registration is None:
        return select_state_first()
    if request.method == "GET":
        return render_profile(registration)
    form = StateDetailsForm(formdata=request.form)
    if not form.validate():
        return render_profile(registration, profile_form=form)
    service.update_profile(account, registration.state, form.cleaned(), client_address())
    if wants_fragment():
        return render("account/profile_updated.html", "account/_profile_updated.html")
    session[PROFILE_UPDATED_KEY] = True
    return redirect(url_for("account.profile_updated"), 303)


@bp.route("/profile/updated")
@login_required
def profile_updated():
    """Your profile has been updated. (after a plain POST), with Back to Profile Page."""
    if not session.pop(PROFILE_UPDATED_KEY, None):
        return redirect(url_for("account.edit_profile"))
    return render_template("account/profile_updated.html")


@bp.route("/profile/validate", methods=["POST"])
@login_required
def validate_profile_field():
    """Inline validation: check the profile field the producer just left; answer with its error slot's content."""
    name = request.headers.get("HX-Trigger-Name", "")
    form = StateDetailsForm(formdata=request.form)
    return field_error(form, form._fields.get(name))


@bp.route("/change-password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change Your Password: Current, New and Confirm New Password → "Update Password"."""
    form = ChangePasswordForm(producer().user_name)
    if form.validate_on_submit():
        refused = service.change_password(login_session(), form.current_password.data, form.new_password.data,
                                          client_address())
        if refused is None:
            if wants_fragment():
                return render("account/password_updated.html", "account/_password_updated.html")
            session[PASSWORD_UPDATED_KEY] = True
            return redirect(url_for("account.password_updated"), 303)
        field, message = refused
        if field == "locked":
            logout_user()
            session.clear()
            session[SIGN_IN_OUTCOME_KEY] = "locked"
            return redirect_after_post(url_for("auth.sign_in"))
        form[field].errors.append(message)
    return render("account/change_password.html", "account/_change_password.html", password_form=form,
                  must_change=login_session().must_change_password)


@bp.route("/change-password/updated")
@login_required
def password_updated():
    """Your password has been updated. (after a plain POST), with Back to Profile Page."""
    if not session.pop(PASSWORD_UPDATED_KEY, None):
        return redirect(url_for("account.edit_profile"))
    return render_template("account/password_updated.html")


# Register for Another State: form → Continue → confirmation (Edit / Submit Registration) → submitted.

def render_another_state(states):
    return render("account/register_another_state.html", "account/_register_another_state.html",
                  push_url=url_for("account.register_another_state"), states=states)


def selection_from_draft(account, draft):
    """The remaining states' blocks, filled from the draft when there is one."""
    data = None
    if draft is not None:
        data = {code: dict(values, register=True) for code, values in draft.fields["states"].items()}
    return StateSelection(service.unregistered_states(account), data=data)


@bp.route("/register-another-state", methods=["GET"])
@login_required
def register_another_state():
    """Register for Another State: only the states this account has not registered yet."""
    account = producer()
    draft = service.load_another_state_draft(account, session.get(DRAFT_KEY))
    return render_another_state(selection_from_draft(account, draft))


@bp.route("/register-another-state", methods=["POST"])
@login_required
def continue_another_state():
    """Continue: check the checked states, keep them server-side, show the confirmation."""
    account = producer()
    states = StateSelection(service.unregistered_states(account), formdata=request.form)
    if not states.forms or not states.validate():
        return render_another_state(states)
    session[DRAFT_KEY] = service.save_another_state_draft(session.get(DRAFT_KEY), account, states.cleaned())
    return confirm_another_state() if wants_fragment() else redirect(url_for("account.confirm_another_state"), 303)


@bp.route("/register-another-state/confirm")
@login_required
def confirm_another_state():
    """Print this page for your records: the states about to be submitted."""
    draft = service.load_another_state_draft(producer(), session.get(DRAFT_KEY))
    if draft is None:
        return redirect(url_for("account.register_another_state"))
    return render("registration/confirm.html", "registration/_confirm.html",
                  push_url=url_for("account.confirm_another_state"), fields=draft.fields,
                  edit_url=url_for("account.register_another_state"),
                  submit_url=url_for("account.submit_another_state"))


@bp.route("/register-another-state/submit", methods=["POST"])
@login_required
def submit_another_state():
    """Submit Registration: the new states start pending and need activation."""
    account = producer()
    draft = service.load_another_state_draft(account, session.get(DRAFT_KEY))
    if draft is None:  # a second click, or the draft expired
        done = session.get(SUBMITTED_KEY)
        return redirect_after_post(url_for("account.another_state_submitted" if done
                                           else "account.register_another_state"))
    try:
        submitted_at = service.submit_another_state(account, draft, client_address())
    except DuplicateRegistration as duplicate:
        states = selection_from_draft(account, draft)
        field = states.field(duplicate.field)[1]
        if field is not None:
            field.errors = [duplicate.message]
        else:
            states.error = duplicate.message
        return render_another_state(states)
    session.pop(DRAFT_KEY, None)
    session[SUBMITTED_KEY] = submitted_at.isoformat()
    return another_state_submitted() if wants_fragment() else redirect(
        url_for("account.another_state_submitted"), 303)


@bp.route("/register-another-state/submitted")
@login_required
def another_state_submitted():
    """Registration Information Submitted, with the expected activation and Back to Profile Page."""
    submitted_at = session.get(SUBMITTED_KEY)
    if not submitted_at:
        return redirect(url_for("account.register_another_state"))
    return render("registration/submitted.html", "registration/_submitted.html",
                  push_url=url_for("account.another_state_submitted"),
                  expected=expected_activation(datetime.fromisoformat(submitted_at)),
                  back_url=url_for("account.edit_profile"), back_label="Back to Profile Page")
