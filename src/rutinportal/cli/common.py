"""What every command shares: the group (in Swedish), clean user errors, dates and the day."""

from __future__ import annotations

import datetime as dt
import functools
import os

import click

from ..errors import UserError
from . import swedish

swedish.install()


def today() -> dt.date:
    fixed = os.environ.get("RUTINPORTAL_TODAY")  # for tests and demonstrations
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


class Day(click.ParamType):
    """A date written ÅÅÅÅ-MM-DD."""

    name = "datum"

    def convert(self, value, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"förväntade ett datum ÅÅÅÅ-MM-DD, fick {value!r}", param, ctx)


DAY = Day()


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


def confirm(question: str, yes: bool) -> None:
    """Ask (ja/nej) unless `yes`; anything but ja stops the command, changing nothing."""
    if yes:
        return
    answer = click.prompt(f"{question} (ja/nej)", default="nej", show_default=False,
                          err=True)
    if answer.strip().casefold() not in ("j", "ja"):
        raise UserError("Avbrutet. Ingenting har ändrats.")


@click.group(cls=swedish.Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rutinportal")
def main() -> None:
    """Rutinportalen: rutiner, utbildning och kunskapstest för sektor Välfärd."""
