"""The `rutinportal` command line (click). User errors exit 1 with a Swedish message."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path

import click

from . import lifecycle
from .build import build_site, validate
from .catalogue import Catalogue
from .errors import UserError
from .status import format_table, status_rows


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder upwards with mkdocs.yml and organisation.yml."""
    env = os.environ.get("RUTINPORTAL_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").exists() and (folder / "organisation.yml").exists():
            return folder
    raise UserError("Hittar ingen Rutinportal här: kör kommandot i mappen där mkdocs.yml och "
                    "organisation.yml finns (eller sätt RUTINPORTAL_ROOT).")


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


def _loaded(preview: bool = False) -> Catalogue:
    root = find_root()
    return validate(root, preview)


def _report(action: str, docs) -> None:
    for doc in docs:
        click.echo(f"{doc.id} {action}: {doc.shown}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rutinportal")
def main() -> None:
    """Rutinportalen: rutiner, utbildning och kunskapstest för sektor Välfärd."""


@main.command()
@user_errors
def check() -> None:
    """Kontrollera allt innehåll och rapportera alla problem på en gång."""
    catalogue = _loaded()
    for warning in catalogue.warnings:
        click.echo(f"Varning: {warning}", err=True)
    click.echo(f"Inga problem: {len(catalogue.documents)} dokument och "
               f"{len(catalogue.quizzes)} kunskapstest kontrollerade.")


@main.command()
@click.option("--preview", is_flag=True, help="Bygg med utkast (för beslutsfattare).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Mapp för den byggda webbplatsen.")
@user_errors
def build(preview: bool, site_dir: Path | None) -> None:
    """Bygg webbplatsen (bara godkända versioner, om inte --preview)."""
    target = build_site(find_root(), site_dir, preview)
    kind = "Förhandsvisningen" if preview else "Webbplatsen"
    click.echo(f"{kind} är byggd i {target}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@user_errors
def serve(host: str, port: int) -> None:
    """Bygg den publicerade webbplatsen och visa den på http://HOST:PORT."""
    from .static_server import serve_static

    target = build_site(find_root())
    click.echo(f"Rutinportalen visas på http://{host}:{port}/ (avsluta med Ctrl+C)")
    serve_static(target, host, port)


@main.command()
@click.argument("kind", type=click.Choice(["routine", "training", "lesson"]))
@click.argument("title")
@click.option("--course", help="Kursens id för en utbildningsmodul (se courses.yml).")
@user_errors
def new(kind: str, title: str, course: str | None) -> None:
    """Skapa ett nytt utkast: routine (rutin), training (utbildningsmodul) eller lesson."""
    catalogue = Catalogue.load(find_root())
    path = lifecycle.new(catalogue, kind, title, course)
    click.echo(f"Skapade {path.relative_to(catalogue.root)}")


@main.command()
@click.argument("ids", nargs=-1, required=True)
@user_errors
def submit(ids: tuple[str, ...]) -> None:
    """Skicka utkast för beslut."""
    _report("skickad för beslut", lifecycle.submit(Catalogue.load(find_root()), list(ids),
                                                   today()))


@main.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--by", "by", required=True, help="Vem som beslutade, t.ex. ledningsgruppen.")
@click.option("--decision", required=True, help="Beslutsreferens, t.ex. \"LG U&S 2026-03-02 § 4\".")
@user_errors
def approve(ids: tuple[str, ...], by: str, decision: str) -> None:
    """Registrera ett beslut: godkänn ett eller flera dokument i samma beslut."""
    docs = lifecycle.approve(Catalogue.load(find_root()), list(ids), by, decision, today())
    _report(f"godkänd ({decision})", docs)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@user_errors
def revise(ids: tuple[str, ...]) -> None:
    """Påbörja nästa version av ett godkänt dokument (utkast, version + 1)."""
    _report("är ett utkast till nästa version", lifecycle.revise(Catalogue.load(find_root()),
                                                                  list(ids)))


@main.command()
@click.argument("ids", nargs=-1, required=True)
@user_errors
def retire(ids: tuple[str, ...]) -> None:
    """Upphäv dokument: de försvinner från webbplatsen vid nästa bygge."""
    _report("upphävd", lifecycle.retire(Catalogue.load(find_root()), list(ids)))


@main.command()
@user_errors
def status() -> None:
    """Visa alla dokument: status, version, dagar i väntan på beslut och nästa översyn."""
    catalogue = Catalogue.load(find_root())
    click.echo(format_table(status_rows(catalogue, today())))
    if catalogue.problems:
        click.echo(f"\n{len(catalogue.problems)} problem i innehållet: kör rutinportal check.",
                   err=True)
