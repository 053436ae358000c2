"""Producer Services commands: flask --app app <group> <command>."""
import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from .models import Account, StateRegistration, create_schema
from .registration import service as registration

roster_cli = AppGroup("roster", help="The roster of producers who may register.")
registrations_cli = AppGroup("registrations", help="State registrations.")


@click.command("init-db")
@with_appcontext
def init_db():
    """Create the schema (safe to run twice)."""
    create_schema()
    click.echo(f"Schema ready in {current_app.config['DATABASE_URL']}")


@roster_cli.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def roster_import(csv_file):
    """Import FILE.csv (state,agent_id[,first_name,last_name]); all or nothing."""
    try:
        added, updated, unchanged = registration.import_roster(csv_file.read())
    except registration.RosterError as error:
        click.echo(f"Nothing imported: {len(error.problems)} bad line(s).", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"Roster imported: {added} added, {updated} updated, {unchanged} unchanged.")


@registrations_cli.command("list")
@click.option("--status", type=click.Choice(["pending", "active", "rejected"]))
def registrations_list(status):
    """One line per state registration: user name, state, Agent ID, status, submitted time."""
    query = (StateRegistration.select(StateRegistration, Account).join(Account)
             .order_by(StateRegistration.submitted_at, StateRegistration.id))
    if status:
        query = query.where(StateRegistration.status == status)
    for r in query:
        click.echo(f"{r.account.user_name:<30} {r.state} {r.agent_id} {r.status:<8} "
                   f"{r.submitted_at:%Y-%m-%d %H:%M} UTC")


def init_app(app):
    """Register the commands on the app's CLI."""
    for command in (init_db, roster_cli, registrations_cli):
        app.cli.add_command(command)
