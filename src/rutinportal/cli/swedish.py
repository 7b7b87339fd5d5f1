"""Click in Swedish: its usage errors, help headings and prompts.

Click marks every message it shows with gettext (`_("Missing option")`). We give those calls
our catalogue instead of the system's: every message a user of `rutinportal` can meet is
translated here (`MESSAGES`, `PLURALS`), and a test fails when click (pinned) changes one of
them or when `--help` shows English. Messages that only a programmer meets (a command declared
wrongly) stay in English.
"""

from __future__ import annotations

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

MESSAGES = {
    "Aborted!": "Avbrutet.",
    "Missing command.": "Kommando saknas.",
    "Options": "Flaggor",
    "Positional arguments": "Argument",
    "Commands": "Kommandon",
    "env var: {var}": "miljövariabel: {var}",
    "default: {default}": "standard: {default}",
    "(dynamic)": "(beräknas)",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Värde saknas",
    "Missing parameter: {param_name}": "Värde saknas: {param_name}",
    "Missing {param_type}": "{param_type} saknas",
    "unknown error": "okänt fel",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Could not open file {filename!r}: {message}":
        "Kunde inte öppna filen {filename!r}: {message}",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "Invalid start character for option ({option})":
        "Ogiltigt första tecken i flaggan ({option})",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} är inte ett sanningsvärde. Giltiga värden: {states}",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "Usage:": "Användning:",
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta …",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    "deprecated": "utgående",
}
PLURALS = {
    "Got unexpected extra argument ({args})":
        ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    "Takes {nargs} values but 1 was given.":
        ("Tar {nargs} värden men 1 angavs.", "Tar {nargs} värden men {len} angavs."),
    "Did you mean {possibility}?":
        ("Menade du {possibility}?", "(Menade du någon av: {possibilities}?)"),
    "Option {name!r} requires an argument.":
        ("Flaggan {name!r} behöver ett värde.", "Flaggan {name!r} behöver {nargs} värden."),
    "{value!r} is not {choice}.":
        ("{value!r} är inte {choice}.", "{value!r} är inte en av {choices}."),
    "{value!r} does not match the format {format}.":
        ("{value!r} följer inte formatet {format}.",
         "{value!r} följer inte något av formaten {formats}."),
    "{len_type} values are required, but {len_value} was given.":
        ("{len_type} värden krävs, men {len_value} angavs.",
         "{len_type} värden krävs, men {len_value} angavs."),
}
# Words click puts into messages by themselves (`Missing {param_type}`, type names).
WORDS = {"integer": "heltal", "float": "decimaltal", "option": "flagga",
         "argument": "argument", "parameter": "värde"}
MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
           click.termui, click.types)


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    pair = PLURALS.get(singular)
    if pair is None:
        return singular if count == 1 else plural
    return pair[0] if count == 1 else pair[1]


_HELP_EXTRA = {"required": "krävs"}
_original_help_extra = click.core.Option.get_help_extra


def _help_extra(self, ctx):
    # "[required]" is the one word click writes without gettext.
    extra = _original_help_extra(self, ctx)
    return {key: _HELP_EXTRA.get(value, value) if isinstance(value, str) else value
            for key, value in extra.items()}


def install() -> None:
    """Make click speak Swedish in this process (idempotent)."""
    click.core.Option.get_help_extra = _help_extra
    for module in MODULES:
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    click.types.IntParamType.name = WORDS["integer"]
    click.types.FloatParamType.name = WORDS["float"]


def _metavar(param: click.Parameter) -> str | None:
    """The placeholder `--help` shows for a value, in Swedish (click derives it from the type's
    English name: INTEGER, PATH …)."""
    kind = param.type
    if isinstance(kind, (click.types.IntParamType, click.types.IntRange)):
        return "HELTAL"
    if isinstance(kind, click.types.FloatParamType):
        return "TAL"
    if isinstance(kind, click.types.Path):
        return "MAPP" if not kind.file_okay else "FIL" if not kind.dir_okay else "SÖKVÄG"
    if isinstance(kind, click.types.DateTime):
        return "DATUM"
    return None


class Command(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[FLAGGOR]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
                param.metavar = _metavar(param)


class Group(click.Group):
    """The `rutinportal` group: every user mistake, click's own too, exits with code 1 and a
    Swedish message (click's default for usage errors is 2)."""

    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[FLAGGOR]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENT]...")
        super().__init__(*args, **kwargs)

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.ClickException as exc:
            exc.show()
            raise SystemExit(1) from None
        except click.exceptions.Abort:
            click.echo(gettext("Aborted!"), err=True)
            raise SystemExit(1) from None
        raise SystemExit(result if isinstance(result, int) else 0)


Group.group_class = Group  # subgroups (db, roster, snapshots …) are Swedish too
