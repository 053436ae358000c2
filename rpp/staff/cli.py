"""Staff commands: flask --app app staff create USERNAME [--password P] [--admin]."""
import click
from flask.cli import AppGroup

from . import service

staff_cli = AppGroup("staff", help="Producer Services staff who use the web console.")


@staff_cli.command("create")
@click.argument("user_name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=f"At least {service.STAFF_PASSWORD_MIN} characters; prompted (hidden) when omitted.")
@click.option("--admin", is_flag=True, help="A console admin (staff users and the roster); the first staff "
                                             "user is an admin anyway.")
def staff_create(user_name, password, admin):
    """Create staff user USERNAME for the Producer Services console (a clerk unless --admin)."""
    try:
        staff_user = service.create_staff_user(user_name, password, by="cli", admin=admin)
    except service.StaffUserError as error:
        raise click.ClickException(str(error))
    click.echo(f"Staff user {staff_user.user_name} created as {staff_user.role}; sign in at /staff/.")
