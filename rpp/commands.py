"""What every `flask` command of the portal shares: how a refusal or an unknown name ends a command
(its sentence and exit status 1, no traceback). rpp.cli and the areas' own commands use it."""
from contextlib import contextmanager

import click


@contextmanager
def refused_on(*errors):
    """A rule's refusal (one of `errors`) ends the command with its sentence and exit status 1."""
    try:
        yield
    except errors as error:
        raise click.ClickException(str(error)) from None


def found(row, unknown):
    """The row a command's argument names, or the command ends saying `unknown` (exit status 1)."""
    if row is None:
        raise click.ClickException(unknown)
    return row
