"""Edit Your Profile, Register for Another State and Change Your Password (Account → Edit Profile)."""
from flask import flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import signin
from ..auth.service import active_states
from ..client import client_address
from ..errors import refills
from ..hypermedia import field_error, render, wants_fragment
from ..lockout import SignInOutcome
from ..login_sessions import section as login_sessions
from ..messages import lazy_text, text
from ..passkeys import section as passkeys
from ..registration.flow import RegistrationFlow
from ..registration.service import open_states
from ..sections import contexts
from ..twostep import pages
from ..twostep import section as two_step
from . import bp, service
from .forms import ChangePasswordForm, ProfileForm

# Edit Profile's sections below Change Password, in the page's order (rpp.sections).
SECTIONS = (two_step.SECTION, passkeys.SECTION, login_sessions.SECTION)


def producer():
    """The signed-in account."""
    return current_user.account


def login_session():
    """The login session this request is signed in with."""
    return current_user.login_session


def select_state_first():
    """Edit Profile is for one state: ask which first (after a POST too, with a 303)."""
    return redirect(url_for("auth.select_state", next=url_for("account.edit_profile")),
                    303 if request.method == "POST" else 302)


def render_profile(registration, profile_form=None, password_form=None):
    """The Edit Profile page (or, for htmx, the profile panel) for the selected state."""
    account = producer()
    return render("account/edit_profile.html", "account/_profile.html", registration=registration,
                  profile_form=profile_form or ProfileForm(registration.email, obj=registration),
                  password_form=password_form or ChangePasswordForm(account.user_name, formdata=None),
                  other_states=open_states(account),
                  can_switch=len(active_states(account)) > 1,
                  activity=service.recent_activity(account), **contexts(SECTIONS, login_session()))


@bp.route("/")
@login_required
def account_menu():
    """The Account menu's own address: Edit Profile (where a form of an account page that was sent
    there, then reloaded, comes back to)."""
    return redirect(url_for("account.edit_profile"))


@login_required
def profile_again():
    """Update Profile sent from an expired page: the profile form again, filled with what was typed (rpp.errors)."""
    registration = service.registration_for(producer(), login_session().selected_state)
    if registration is None:
        return select_state_first()
    return render_profile(registration, profile_form=ProfileForm(registration.email, formdata=request.form))


@bp.route("/profile", methods=["GET", "POST"])
@refills(profile_again)
@login_required
def edit_profile():
    """Edit Your Profile for the selected state; "Update Profile" stores the editable fields."""
    account = producer()
    registration = service.registration_for(account, login_session().selected_state)
    if registration is None:
        return select_state_first()
    if request.method == "GET":
        return render_profile(registration)
    form = ProfileForm(registration.email, formdata=request.form, state=registration.state)
    if not form.validate():
        return render_profile(registration, profile_form=form)
    refused = service.update_profile(login_session(), registration.state, form.cleaned(), form.labels(),
                                     form.password.data, client_address())
    if refused is not None:
        return refusal(refused, form, lambda: render_profile(registration, profile_form=form))
    flash(text("account.profile_updated"), "profile")
    if wants_fragment():
        return render("account/profile_updated.html", "account/_profile_updated.html")
    return redirect(url_for("account.profile_updated"), 303)


def refusal(refused, form, render_form):
    """A refused change: its message beside the field, or, at the lockout, signed out to the sign-in page."""
    if refused.locked:
        return signin.signed_out(pages.PRODUCER, SignInOutcome.LOCKED)
    form[refused.field].errors.append(refused.message)
    return render_form()


@bp.route("/profile/updated")
@login_required
def profile_updated():
    """Your profile has been updated. (after a plain POST), with Back to Profile Page."""
    if not get_flashed_messages(category_filter=["profile"]):
        return redirect(url_for("account.edit_profile"))
    return render_template("account/profile_updated.html")


@bp.route("/profile/validate", methods=["POST"])
@login_required
def validate_profile_field():
    """Inline validation: check the profile field the producer just left; answer with its error slot's content."""
    name = request.headers.get("HX-Trigger-Name", "")
    account = producer()
    registration = service.registration_for(account, login_session().selected_state)
    form = ProfileForm(registration.email if registration else None, formdata=request.form)
    return field_error(form, form._fields.get(name))


@login_required
def password_again():
    """Update Password sent from an expired page: the form again, to type the passwords again (rpp.errors)."""
    return render_password_form(ChangePasswordForm(producer().user_name))


@bp.route("/change-password", methods=["GET", "POST"])
@refills(password_again)
@login_required
def change_password():
    """Change Your Password: Current, New and Confirm New Password → "Update Password"."""
    form = ChangePasswordForm(producer().user_name)
    if form.validate_on_submit():
        refused = service.change_password(login_session(), form.current_password.data, form.new_password.data,
                                          client_address())
        if refused is None:
            flash(text("password.updated"), "password")
            if wants_fragment():
                return render("account/password_updated.html", "account/_password_updated.html",
                              **passkeys_to_check())
            return redirect(url_for("account.password_updated"), 303)
        return refusal(refused, form, lambda: render_password_form(form))
    return render_password_form(form)


def render_password_form(form):
    """Change Your Password (or, for htmx, its panel), saying why when a temporary password must be replaced."""
    return render("account/change_password.html", "account/_change_password.html", password_form=form,
                  must_change=login_session().must_change_password)


@bp.route("/change-password/updated")
@login_required
def password_updated():
    """Your password has been updated. (after a plain POST), with Back to Profile Page."""
    if not get_flashed_messages(category_filter=["password"]):
        return redirect(url_for("account.edit_profile"))
    return render_template("account/password_updated.html", **passkeys_to_check())


def passkeys_to_check():
    """Password Update lists the account's passkeys with Remove: after a recovery from an intruder, what the
    intruder added is cleared there."""
    return passkeys.SECTION.context(login_session())


# Register for Another State: the registration flow for the signed-in account's remaining states.
another_state = RegistrationFlow("register_another_state", lazy_text("registration.another_state"), owner=producer,
                                 back=("account.edit_profile", lazy_text("registration.back_to_profile")),
                                 back_on_form=True)
another_state.mount(bp, "/register-another-state", decorators=[login_required])
