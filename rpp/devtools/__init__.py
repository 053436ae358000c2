"""Developer tooling, outside the running portal. create_app registers the commands below on the
CLI; a command imports its tool only when it runs, and the tool runs in a process of its own, so
nothing here touches the portal that runs the command."""
import subprocess
import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("gallery")
@with_appcontext
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--screenshots/--no-screenshots", default=True, show_default=True,
              help="A PNG of each state, when /usr/bin/chromium and Playwright are installed.")
def gallery_command(outdir, screenshots):
    """Render every page, fragment and e-mail in each of its states into OUTDIR (open index.html)."""
    config = current_app.config
    child = subprocess.run(
        [sys.executable, "-m", "rpp.devtools.gallery", outdir, "--portal-url", config["PORTAL_URL"],
         "--timezone", config["PORTAL_TIMEZONE"], "--screenshots" if screenshots else "--no-screenshots"],
        capture_output=True, text=True)
    click.echo(child.stdout, nl=False)
    click.echo(child.stderr, nl=False, err=True)
    if child.returncode:
        raise click.ClickException(f"the gallery was not built (exit status {child.returncode})")
