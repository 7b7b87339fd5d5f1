"""The operator's database commands: schema upgrade, backup and restore (`rutinportal db`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..repository import find_root
from .common import main, user_errors

DATABASE_HELP = "SQLAlchemy-URL (standard: RUTINPORTAL_DATABASE, annars SQLite i var/)."


def _url(database: str | None) -> str:
    from ..portal.settings import database_url

    return database_url(find_root(), database)


def _size(size: int) -> str:
    for unit in ("byte", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            shown = f"{size:.1f}".replace(".", ",") if unit != "byte" else str(size)
            return f"{shown} {unit}"
        size /= 1024
    return str(size)  # pragma: no cover - the loop returns


@main.group()
def db() -> None:
    """Databasen: schemamigreringar, säkerhetskopiering och återläsning."""


@db.command("upgrade")
@click.option("--database", help=DATABASE_HELP)
@user_errors
def db_upgrade(database: str | None) -> None:
    """Uppdatera databasens schema till senaste versionen."""
    from ..portal.storage.db import make_engine, masked
    from ..portal.storage.migrate import current, upgrade

    url = _url(database)
    engine = make_engine(url)
    try:
        upgrade(engine)
        click.echo(f"Databasen {masked(url)} har schemaversion {current(engine)}.")
    finally:
        engine.dispose()


@db.command("backup")
@click.option("--out", "out", required=True, metavar="FIL",
              type=click.Path(path_type=Path),
              help="Filen att skriva (läsbar bara för dig; skrivs klart innan den får sitt "
                   "namn).")
@click.option("--database", help=DATABASE_HELP)
@user_errors
def db_backup(out: Path, database: str | None) -> None:
    """Säkerhetskopiera databasen medan portalen körs: SQLite med SQLite:s backup-API,
    PostgreSQL med pg_dump (eget format)."""
    from ..portal.operations.backup import backup
    from ..portal.storage.db import masked

    url = _url(database)
    report = backup(url, out)
    click.echo(f"Säkerhetskopian är skriven: {report.file} ({report.kind.label}, "
               f"schemaversion {report.contents.revision}, {_size(report.size)}) från "
               f"{masked(url)}. Den innehåller:")
    for line in report.contents.lines():
        click.echo(line)


@db.command("restore")
@click.argument("file", metavar="FIL", type=click.Path(path_type=Path))
@click.option("--database", help=DATABASE_HELP)
@click.option("--force", is_flag=True,
              help="Ersätt en databas som inte är tom (det som finns där går förlorat).")
@user_errors
def db_restore(file: Path, database: str | None, force: bool) -> None:
    """Läs in en säkerhetskopia från db backup i en tom databas. Stoppa portalen först."""
    from ..portal.operations.backup import restore
    from ..portal.storage.db import masked

    url = _url(database)
    report = restore(url, file, force=force)
    if not report.replaced.empty:
        click.echo(f"Ersatte det som fanns i {masked(url)}: {report.replaced.summary()}.")
    click.echo(f"Säkerhetskopian {report.file} ({report.kind.label}, schemaversion "
               f"{report.contents.revision}) är inläst i {masked(url)}:")
    for line in report.contents.lines():
        click.echo(line)
    if report.upgraded_to:
        click.echo(f"Schemat är uppdaterat till version {report.upgraded_to}.")
