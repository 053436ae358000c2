"""Producer Services commands: flask --app app <group> <command>."""
import os
import re
import signal
import sqlite3
import threading
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from peewee import SqliteDatabase

from . import clock, maintenance, outbox, relay
from .auth import service as auth
from .commands import found, refused_on
from .database import DATABASE_DOWN
from .devtools import gallery_command
from .extensions import db
from .messages import text
from .migrations import upgrade
from .models import Account, StateRegistration
from .registration import activation, roster
from .states import BCBS_STATES, STATES

roster_cli = AppGroup("roster", help="The roster of producers who may register.")
registrations_cli = AppGroup("registrations", help="State registrations.")
accounts_cli = AppGroup("accounts", help="Producer accounts.")
mail_cli = AppGroup("mail", help="The e-mail outbox.")
db_cli = AppGroup("db", help="The database schema and its backups.")
maintenance_cli = AppGroup("maintenance", help="Retention: what the portal keeps no longer than it needs.")
STATE_CODES = ", ".join(STATES)


def shown_url(url):
    """DATABASE_URL without its password, fit to print."""
    return re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", url)


@db_cli.command("upgrade")
def db_upgrade():
    """Create the schema, or upgrade an older one to the latest version; never drops data. The deploy step
    before the portal starts (it refuses a database that is behind); safe to run twice."""
    with db.connection_context():
        before, after = upgrade()
    where = shown_url(current_app.config["DATABASE_URL"])
    if before == after:
        click.echo(f"Schema already at version {after}, the latest, in {where}")
    elif before == 0:
        click.echo(f"Schema created at version {after} in {where}")
    else:
        click.echo(f"Schema upgraded from version {before} to {after} in {where}")


@db_cli.command("backup")
@click.argument("backup_file", type=click.Path(dir_okay=False, writable=True))
def db_backup(backup_file):
    """Copy the SQLite database to BACKUP_FILE, safely while the portal runs (SQLite's online backup).
    PostgreSQL: use pg_dump (docs/operating.md)."""
    if not isinstance(db.obj, SqliteDatabase):
        raise click.ClickException("flask db backup copies a SQLite database; for PostgreSQL use pg_dump "
                                   "(docs/operating.md).")
    partial = f"{backup_file}.partial"
    with db.connection_context():
        target = sqlite3.connect(partial)
        try:
            db.connection().backup(target)  # page by page; writers wait only while a page is copied
        finally:
            target.close()
    os.replace(partial, backup_file)  # the file named is always a whole backup
    click.echo(f"Backed up {shown_url(current_app.config['DATABASE_URL'])} to {backup_file} "
               f"({os.path.getsize(backup_file)} bytes)")


@roster_cli.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def roster_import(csv_file):
    """Import FILE.csv (state,agent_id[,first_name,last_name]); all or nothing."""
    try:
        added, updated, unchanged = roster.import_roster(csv_file.read())
    except roster.RosterError as error:
        click.echo(text("roster.bad_lines", count=error.total), err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        if error.more:
            click.echo(text("roster.more_problems", more=error.more), err=True)
        raise SystemExit(1) from None
    click.echo(text("roster.imported", added=added, updated=updated, unchanged=unchanged))


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


@registrations_cli.command("activate")
@click.argument("user_name")
@click.option("--state", help=f"Only this BCBS state ({STATE_CODES}).")
def registrations_activate(user_name, state):
    """Activate USERNAME's pending registrations and send the activation e-mail(s)."""
    with refused_on(activation.ActivationError):
        rows = activation.activate(user_name, state, by="cli")
    for row in rows:
        click.echo(f"Activated {row.account.user_name} in {row.state} ({row.agent_id}); "
                   f"e-mail queued for {row.email}.")


@registrations_cli.command("reject")
@click.argument("user_name")
@click.option("--state", required=True, help=f"The BCBS state ({STATE_CODES}).")
@click.option("--reason", required=True, help="Why; it is sent to the producer.")
def registrations_reject(user_name, state, reason):
    """Reject USERNAME's pending registration in one state, with a reason."""
    with refused_on(activation.ActivationError):
        row = activation.reject(user_name, state, reason, by="cli")
    click.echo(f"Rejected {row.account.user_name} in {row.state}; e-mail queued for {row.email}.")


@registrations_cli.command("revoke")
@click.argument("user_name")
@click.option("--state", required=True, help=f"The BCBS state ({STATE_CODES}).")
@click.option("--reason", required=True, help="Why; it is sent to the producer.")
def registrations_revoke(user_name, state, reason):
    """Revoke USERNAME's active registration in one state, with a reason; the last one ends their sessions."""
    row = found(StateRegistration.select(StateRegistration, Account).join(Account)
                .where(Account.user_name_key == user_name.lower(), StateRegistration.state == state.upper(),
                       StateRegistration.status == "active").first(),
                text("staff.no_active_in_state", user_name=user_name, state=BCBS_STATES.get(state.upper(), state)))
    with refused_on(activation.ActivationError):
        activation.revoke(row, reason, by="cli")
    click.echo(f"Revoked {row.account.user_name} in {row.state}; e-mail queued for {row.email}.")


@accounts_cli.command("unlock")
@click.argument("user_name")
def accounts_unlock(user_name):
    """Lift USERNAME's lockout at once."""
    account = found(Account.get_or_none(Account.user_name_key == user_name.lower()),
                    text("staff.no_account", user_name=user_name))
    auth.unlock(account, by="cli")
    click.echo(text("staff.unlocked", user_name=account.user_name))


@mail_cli.command("deliver")
def mail_deliver():
    """One pass of the mail relay: send every e-mail that is due now."""
    result = relay.deliver_due()
    click.echo(f"{result.sent} sent, {result.waiting} waiting for retry, {result.failed} failed.")
    if result.waiting or result.failed:
        raise SystemExit(1)


@mail_cli.command("relay")
def mail_relay():
    """Deliver the outbox until stopped (SIGTERM or Ctrl-C: after the e-mail in hand)."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    poll_seconds = current_app.config["MAIL_RELAY_POLL_SECONDS"]
    click.echo(f"Mail relay started (looking for e-mail every {poll_seconds} s).")
    relay.run(stop, poll_seconds)
    click.echo("Mail relay stopped.")


@mail_cli.command("status")
@click.option("--max-age", default=15, show_default=True,
              help="Exit with status 1 when an e-mail has waited longer than this many minutes.")
def mail_status(max_age):
    """Queued, waiting and failed e-mail, and the age of the oldest still to go (for monitoring).
    Exit status 1: an e-mail is late; 2: the database cannot be reached."""
    try:
        counts = outbox.status()
    except DATABASE_DOWN as error:
        click.echo(f"Database unreachable: {type(error).__name__}: {' '.join(str(error).split())}", err=True)
        raise SystemExit(2) from None
    age = clock.utcnow() - counts.oldest_unsent if counts.oldest_unsent else None
    click.echo(f"Queued: {counts.queued}\nWaiting for retry: {counts.waiting}\nFailed: {counts.failed}")
    click.echo(f"Oldest unsent: {clock.short_wait(age)} old" if age is not None else "Oldest unsent: none")
    if age is not None and age > timedelta(minutes=max_age):
        raise SystemExit(1)


@maintenance_cli.command("purge")
def maintenance_purge():
    """Remove security events, sent e-mail, known browsers, sessions and drafts past their retention."""
    purged = maintenance.purge()
    click.echo(f"Security events older than the retention: {purged.events}\nSent e-mail: {purged.sent_mail}\n"
               f"Known browsers not seen for the retention: {purged.browsers}\n"
               f"Expired sessions (producers and staff): {purged.sessions}\n"
               f"Expired registration drafts: {purged.drafts}\n"
               f"Expired challenges and temporary passwords: {purged.challenges}")


def init_app(app):
    """Register the commands on the app's CLI."""
    app.cli.add_command(gallery_command)
    for command in (db_cli, roster_cli, registrations_cli, accounts_cli, mail_cli, maintenance_cli):
        app.cli.add_command(command)
