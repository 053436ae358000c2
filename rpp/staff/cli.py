"""Staff commands: flask --app app staff create USERNAME [--password P], staff unlock USERNAME."""
import click
from flask.cli import AppGroup

from . import service

staff_cli = AppGroup("staff", help="Producer Services staff who use the web console.")


@staff_cli.command("create")
@click.argument("user_name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=f"At least {service.STAFF_PASSWORD_MIN} characters; prompted (hidden) when omitted.")
def staff_create(user_name, password):
    """Create staff user USERNAME for the Producer Services console."""
    try:
        staff_user = service.create_staff_user(user_name, password, by="cli")
    except service.StaffUserError as error:
        raise click.ClickException(str(error))
    click.echo(f"Staff user {staff_user.user_name} created; sign in at /staff/.")


@staff_cli.command("unlock")
@click.argument("user_name")
def staff_unlock(user_name):
    """Lift staff user USERNAME's lockout at once."""
    try:
        staff_user = service.unlock_staff_user(user_name, by="cli")
    except service.StaffUserError as error:
        raise click.ClickException(str(error))
    click.echo(f"Unlocked staff user {staff_user.user_name}.")
