"""What every command shares: the group, clean user errors and the day."""

from __future__ import annotations

import datetime as dt
import functools
import os

import click

from ..errors import UserError


def today() -> dt.date:
    fixed = os.environ.get("RUTINPORTAL_TODAY")  # for tests and demonstrations
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def user_errors(func):
    """Turn a `UserError` into a clean message and exit code 1; bugs keep their traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            click.echo(f"Fel: {exc}", err=True)
            raise SystemExit(exc.exit_code) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rutinportal")
def main() -> None:
    """Rutinportalen: rutiner, utbildning och kunskapstest för sektor Välfärd."""
