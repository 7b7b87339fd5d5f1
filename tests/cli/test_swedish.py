"""The command line speaks Swedish everywhere: usage errors, help, prompts; every user mistake
exits with code 1 and a Swedish message, never a traceback."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.cli.swedish import MESSAGES, PLURALS

ENGLISH = ["Usage:", "Options", "Commands", "Show this message", "[required]", "[default:",
           "[OPTIONS]", "COMMAND", "Missing", "Error:", "Try '", "No such", "is not one of",
           "Aborted", "does not exist", "Show the version", "INTEGER", "PATH", "FILE",
           "DIRECTORY", "FLOAT", "PERSON_ID"]


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("args, expected", [
    (["approve", "RUT-001", "--decision", "§ 4"], "Fel: Flagga saknas '--by'."),
    (["approve", "--by", "lg-us", "--decision", "§ 4"], "Fel: Argument saknas 'ID...'."),
    (["godkänn"], "Fel: Kommandot 'godkänn' finns inte."),
    (["build", "--snabbt"], "Fel: Flaggan '--snabbt' finns inte."),
    (["new", "rutin", "Titel"], "Fel: Ogiltigt värde för 'SORT': 'rutin' är inte en av "
                                "'routine', 'training', 'lesson'."),
    (["approve", "RUT-001", "--by", "lg-us", "--decision"],
     "Fel: Flaggan '--decision' behöver ett värde."),
    (["serve", "--port", "åtta"], "Fel: Ogiltigt värde för '--port': 'åtta' är inte ett giltigt "
                                  "heltal."),
])
def test_usage_errors_are_swedish_and_exit_1(args, expected, empty_repo: Path) -> None:
    code, out = run(*args)
    assert code == 1
    assert expected in out, out


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


@pytest.mark.parametrize("path", [(), *_commands(main)], ids=lambda p: " ".join(p) or "main")
def test_help_has_no_english(path: tuple[str, ...]) -> None:
    code, out = run(*path, "--help")
    assert code == 0
    assert "Användning:" in out and "Flaggor:" in out
    assert [word for word in ENGLISH if word in out] == [], out


def test_every_translated_message_is_one_click_shows() -> None:
    """Pinned click: a message it changes would silently be English again."""
    found = set()
    for module in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
                if node.args and isinstance(node.args[0], ast.Constant):
                    found.add(node.args[0].value)
    assert set(MESSAGES) - found == set()
    assert set(PLURALS) - found == set()


def test_the_installed_command_is_swedish_too(empty_repo: Path) -> None:
    command = Path(sys.executable).parent / "rutinportal"
    done = subprocess.run([str(command), "approve", "RUT-001"], capture_output=True, text=True,
                          cwd=empty_repo)
    assert done.returncode == 1
    assert done.stderr == ("Användning: rutinportal approve [FLAGGOR] ID...\n"
                           "Skriv 'rutinportal approve --help' för hjälp.\n\n"
                           "Fel: Flagga saknas '--by'.\n")


def test_a_declined_confirmation_is_a_clean_stop(empty_repo: Path) -> None:
    from ..conftest import routine

    routine(empty_repo)
    code, out = run("retire", "RUT-901", "--decision", "§ 9", stdin="\n")
    assert code == 1 and out.endswith("(ja/nej): \nFel: Avbrutet. Ingenting har ändrats.\n")
