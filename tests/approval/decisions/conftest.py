"""A repository with two documents waiting for the leadership group: RUT-901, a revised
routine (version 2, returned once, with a wider audience), and RUT-902, a new one."""

from __future__ import annotations

import datetime as dt
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.content.catalogue import Catalogue

from ...conftest import routine

TODAY = dt.date(2026, 11, 28)
BODY_V1 = """Lås datorn när du går ifrån den.

## Så här gör du

1. Tryck Windows + L.
2. Ta med ditt SITHS-kort.

## Om något går fel

Berätta för din chef."""
BODY_V2 = """Lås datorn när du går ifrån den, även en kort stund.

## Så här gör du

1. Tryck Windows + L.
2. Ta med ditt SITHS-kort.
3. Stäng journalen först.

## Om något går fel

Berätta för din chef och för informationssäkerhetssamordnaren."""
BODY_NEW = """Skriv aldrig personnummer i ämnesraden i ett mejl.

## Så här gör du

- Skriv personnumret i meddelandet, i skyddad e-post."""


def cli(*args: str, today: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"RUTINPORTAL_TODAY": today})
    assert result.exit_code == 0, result.output
    return result.output


def edit(path: Path, **changes: str) -> None:
    text = path.read_text(encoding="utf-8")
    for key, value in changes.items():
        if re.search(rf"^{key}:", text, re.M):
            text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
        else:
            text = text.replace("\n---\n", f"\n{key}: {value}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def two_waiting(empty_repo: Path) -> Path:
    revised = routine(empty_repo, "las-datorn", "RUT-901", "Lås datorn", BODY_V1)
    cli("submit", "RUT-901", today="2026-01-10")
    cli("approve", "RUT-901", "--by", "lg-us", "--decision", "LG U&S 2026-01-12 § 3",
        "--date", "2026-01-12", today="2026-01-12")
    cli("revise", "RUT-901", today="2026-10-01")
    text = revised.read_text(encoding="utf-8")
    revised.write_text(text.split("\n---\n", 1)[0] + "\n---\n\n" + BODY_V2 + "\n",
                       encoding="utf-8")
    edit(revised, change_note='"Journalen stängs först, och samordnaren får veta."',
         audience="[hemtjanst, larm]")
    cli("submit", "RUT-901", today="2026-10-05")
    cli("return", "RUT-901", "--comment", "Förtydliga vem som ska få veta.", "--decision",
        "LG U&S 2026-10-19 § 5", "--date", "2026-10-19", today="2026-10-19")
    cli("submit", "RUT-901", today="2026-10-29")
    routine(empty_repo, "personnummer-i-mejl", "RUT-902", "Personnummer i mejl", BODY_NEW)
    cli("submit", "RUT-902", today="2026-11-18")
    assert not Catalogue.load(empty_repo).problems
    return empty_repo


def weasyprint_or_skip() -> None:
    """PDF tests need Pango (WeasyPrint): CI fails without it, elsewhere they skip."""
    from rutinportal.approval.decisions import pdf

    if pdf.HTML is None:
        reason = f"WeasyPrint kan inte läsa in Pango: {pdf.MISSING}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"PDF-testerna kan inte köras i CI: {reason}", pytrace=False)
        pytest.skip(f"PDF-testerna hoppas över: {reason}")


class _Tables(HTMLParser):
    """Every table: its caption and its rows, each row's cells as visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.text: list[str] | None = None
        self.row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self.tables.append(("", []))
        elif tag in ("caption", "th", "td"):
            self.text = []
        elif tag == "tr":
            self.row = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self.text is not None:
            self.tables[-1] = (" ".join("".join(self.text).split()), self.tables[-1][1])
            self.text = None
        elif tag in ("th", "td") and self.text is not None and self.row is not None:
            self.row.append(" ".join("".join(self.text).split()))
            self.text = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1][1].append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def table(html: str, caption: str) -> list[list[str]]:
    """The rows (header row first) of the table whose caption starts with `caption`."""
    parser = _Tables()
    parser.feed(html)
    return next(rows for found, rows in parser.tables if found.startswith(caption))


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
