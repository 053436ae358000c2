"""Console pages for staff users: admins create, disable, enable and unlock them; everyone changes
their own password (at first sign-in, the initial one an admin set)."""
from flask import abort, flash, g, url_for

from ..client import client_address
from ..hypermedia import redirect_after_post, render
from ..messages import text
from ..models import StaffUser
from ..passwords import verify_password
from . import bp, staff_users
from .forms import StaffPasswordForm, StaffUserForm
from .gates import admin_required, staff_required


def render_users(form=None):
    """The staff users page with its create form."""
    return render("staff/users.html", "staff/_users.html", form=form or StaffUserForm(formdata=None),
                  staff_users=staff_users.staff_users(), with_two_step=staff_users.staff_users_with_two_step())


@bp.route("/users")
@admin_required
def users():
    """Every staff user with their role and status, and a form to add one."""
    return render_users()


@bp.route("/users", methods=["POST"])
@admin_required
def create_user():
    """Create a staff user with an initial password they must change at first sign-in."""
    form = StaffUserForm()
    if form.validate_on_submit():
        try:
            created = staff_users.create_staff_user(form.user_name.data, form.password.data, by=g.staff_user.user_name,
                                                client_address=client_address(), admin=form.role.data == "admin",
                                                initial=True)
        except staff_users.StaffUserError as error:
            form.user_name.errors.append(str(error))
        else:
            flash(text("staff.user_created", user_name=created.user_name, role=created.role), "notice")
            return redirect_after_post(url_for("staff.users"))
    return render_users(form)


def other_staff_user(staff_user_id):
    """The staff user an admin acts on (never themselves: nobody disables or unlocks their own sign-in)."""
    staff_user = StaffUser.get_or_none(StaffUser.id == staff_user_id)
    if staff_user is None or staff_user.id == g.staff_user.id:
        abort(404)
    return staff_user


@bp.route("/users/<int:staff_user_id>/disable", methods=["POST"], defaults={"action": "disable"})
@bp.route("/users/<int:staff_user_id>/enable", methods=["POST"], defaults={"action": "enable"})
@bp.route("/users/<int:staff_user_id>/unlock", methods=["POST"], defaults={"action": "unlock"})
@admin_required
def change_user(staff_user_id, action):
    """Disable (their sessions end), enable or unlock another staff user."""
    staff_user = other_staff_user(staff_user_id)
    if action == "unlock":
        staff_users.unlock_staff_user(staff_user, g.staff_user.user_name, client_address())
        flash(text("staff.unlocked", user_name=staff_user.user_name), "notice")
    else:
        staff_users.set_disabled(staff_user, action == "disable", g.staff_user, client_address())
        flash(text(f"staff.user_{action}d", user_name=staff_user.user_name), "notice")
    return redirect_after_post(url_for("staff.users"))


@bp.route("/password")
@staff_required
def change_password():
    """Change your own password (required first after an initial password)."""
    return render("staff/password.html", "staff/_password.html", form=StaffPasswordForm(formdata=None))


@bp.route("/password", methods=["POST"])
@staff_required
def save_password():
    """Check the current password and set the new one."""
    form = StaffPasswordForm()
    if form.validate_on_submit():
        if not verify_password(g.staff_user.password_hash, form.current_password.data):
            form.current_password.errors.append(text("staff.current_password_wrong"))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(text("staff.password_unchanged"))
        else:
            staff_users.change_staff_password(g.staff_session, form.new_password.data, client_address())
            flash(text("password.updated"), "notice")
            return redirect_after_post(url_for("staff.queue"))
    return render("staff/password.html", "staff/_password.html", form=form)

