"""Staff commands, on the console blueprint's own command group: flask --app app staff create USERNAME
[--password P] [--admin], staff unlock USERNAME, staff reset-two-step USERNAME."""
import click

from ..commands import found, refused_on
from ..messages import text
from . import bp, staff_users

bp.cli.help = "Producer Services staff who use the web console."


def staff_user_named(user_name):
    """The staff user a command names, or the command ends saying there is none."""
    return found(staff_users.find_staff_user(user_name),
                 f"No staff user named {(user_name or '').strip().lower()!r}.")


@bp.cli.command("create")
@click.argument("user_name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=f"At least {staff_users.STAFF_PASSWORD_MIN} characters; prompted (hidden) when omitted.")
@click.option("--admin", is_flag=True, help="A console admin (staff users and the roster); the first staff "
                                             "user is an admin anyway.")
def staff_create(user_name, password, admin):
    """Create staff user USERNAME for the Producer Services console (a clerk unless --admin)."""
    with refused_on(staff_users.StaffUserError):
        staff_user = staff_users.create_staff_user(user_name, password, by="cli", admin=admin)
    click.echo(f"Staff user {staff_user.user_name} created as {staff_user.role}; sign in at /staff/.")


@bp.cli.command("unlock")
@click.argument("user_name")
def staff_unlock(user_name):
    """Lift staff user USERNAME's lockout at once."""
    staff_user = staff_user_named(user_name)
    staff_users.unlock_staff_user(staff_user, by="cli")
    click.echo(f"Unlocked staff user {staff_user.user_name}.")


@bp.cli.command("reset-two-step")
@click.argument("user_name")
def staff_reset_two_step(user_name):
    """Turn off staff user USERNAME's two-step verification (a lost phone); they set it up again at next sign-in."""
    staff_user = staff_user_named(user_name)
    if not staff_users.reset_two_step_of_staff_user(staff_user, by="cli"):
        raise click.ClickException(text("two_step.staff.not_set_up", user_name=staff_user.user_name))
    click.echo(text("two_step.staff.reset", user_name=staff_user.user_name))
