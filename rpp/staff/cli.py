"""Staff commands: flask --app app staff create USERNAME [--password P] [--admin], staff unlock USERNAME,
staff reset-two-step USERNAME."""
import click
from flask.cli import AppGroup

from ..messages import text
from . import staff_users

staff_cli = AppGroup("staff", help="Producer Services staff who use the web console.")


@staff_cli.command("create")
@click.argument("user_name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=f"At least {staff_users.STAFF_PASSWORD_MIN} characters; prompted (hidden) when omitted.")
@click.option("--admin", is_flag=True, help="A console admin (staff users and the roster); the first staff "
                                             "user is an admin anyway.")
def staff_create(user_name, password, admin):
    """Create staff user USERNAME for the Producer Services console (a clerk unless --admin)."""
    try:
        staff_user = staff_users.create_staff_user(user_name, password, by="cli", admin=admin)
    except staff_users.StaffUserError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Staff user {staff_user.user_name} created as {staff_user.role}; sign in at /staff/.")


@staff_cli.command("unlock")
@click.argument("user_name")
def staff_unlock(user_name):
    """Lift staff user USERNAME's lockout at once."""
    staff_user = staff_users.find_staff_user(user_name)
    if staff_user is None:
        raise click.ClickException(f"No staff user named {(user_name or '').strip().lower()!r}.")
    staff_users.unlock_staff_user(staff_user, by="cli")
    click.echo(f"Unlocked staff user {staff_user.user_name}.")


@staff_cli.command("reset-two-step")
@click.argument("user_name")
def staff_reset_two_step(user_name):
    """Turn off staff user USERNAME's two-step verification (a lost phone); they set it up again at next sign-in."""
    staff_user = staff_users.find_staff_user(user_name)
    if staff_user is None:
        raise click.ClickException(f"No staff user named {(user_name or '').strip().lower()!r}.")
    if not staff_users.reset_two_step_of_staff_user(staff_user, by="cli"):
        raise click.ClickException(text("two_step.staff.not_set_up", user_name=staff_user.user_name))
    click.echo(text("two_step.staff.reset", user_name=staff_user.user_name))
