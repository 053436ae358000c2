"""python -m rpp.devtools.gallery OUTDIR --portal-url URL --timezone TZ [--no-screenshots]
(what `flask --app app gallery OUTDIR` runs, in a process of its own)."""
import os

import click

from . import build


@click.command()
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--portal-url", required=True, help="The portal's address, as e-mails show it.")
@click.option("--timezone", required=True, help="The portal's time zone, as pages show dates.")
@click.option("--screenshots/--no-screenshots", default=True)
def main(outdir, portal_url, timezone, screenshots):
    for language, (shots, taken, uncovered) in build(outdir, portal_url, timezone, screenshots).items():
        click.echo(f"{len(shots)} states written to {os.path.join(outdir, language, 'index.html')}"
                   f"{f', {len(taken)} screenshots' if taken else ''}.")
        if uncovered:
            click.echo(f"Templates not shown in any state ({language}): " + ", ".join(uncovered), err=True)


if __name__ == "__main__":
    main()
