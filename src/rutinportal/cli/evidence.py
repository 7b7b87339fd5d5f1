"""The evidence a supervisor can verify (`rutinportal evidence export|verify|public-key`) and
the annual report's figures (`rutinportal report`).

Output is written atomically: a hidden file (0600: personal data) in the target folder,
renamed when complete, so a failed export leaves no file, or the old one as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import click

from ..errors import UserError
from ..repository import find_root
from .campaigns import SITE_HELP, _published, _who
from .common import DAY, main, today, user_errors
from .database import DATABASE_HELP, _url


def _writable(out: Path, suffix: str, option: str = "--out") -> None:
    if out.suffix.lower() != suffix:
        raise UserError(f"{option}: förväntade en fil som slutar på {suffix}, fick '{out}'. "
                        "Ingenting har skrivits.")
    if out.is_dir():
        raise UserError(f"{option}: '{out}' är en mapp; förväntade en fil som slutar på "
                        f"{suffix}. Ingenting har skrivits.")
    if not out.parent.is_dir():
        raise UserError(f"{option}: mappen '{out.parent}' finns inte; skapa den först eller "
                        "välj en annan plats. Ingenting har skrivits.")
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise UserError(f"{option}: kan inte skriva i '{out.parent}' (ingen skrivrätt). "
                        "Ingenting har skrivits.")


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[BinaryIO]:
    """A file object that becomes `out` only when the block ends without an error."""
    fd, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@main.group()
def evidence() -> None:
    """Bevispaketet: exportera, kontrollera, och visa den publika nyckeln."""


@evidence.command("export")
@click.option("--out", required=True, metavar="FIL.zip", type=click.Path(path_type=Path),
              help="Bevispaketet att skriva (läsbart bara för dig: det har personuppgifter).")
@click.option("--from", "start", type=DAY,
              help="Kvittenser från och med detta datum (standard: från början).")
@click.option("--to", "end", type=DAY,
              help="Kvittenser till och med detta datum, och läget för utbildningen "
                   "(standard: i dag).")
@click.option("--by", help="Vem som exporterar (standard: ditt användarnamn).")
@click.option("--database", help=DATABASE_HELP)
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help=SITE_HELP)
@user_errors
def evidence_export(out: Path, start: dt.date | None, end: dt.date | None, by: str | None,
                    database: str | None, site_dir: Path | None) -> None:
    """Skriv ett signerat bevispaket (ZIP) som en granskare kan kontrollera utan
    Rutinportalen: beslut, kvittenser, utbildning, personallista och de godkända texterna."""
    from ..content.catalogue import Catalogue
    from ..portal.evidence.bundle import check_period, export
    from ..portal.evidence.keys import short
    from ..portal.storage.db import open_database

    _writable(out, ".zip")
    period = check_period(start, end, today())
    root = find_root()
    published = _published(site_dir)
    catalogue = Catalogue.load(root)
    who = by.strip() if by and by.strip() else _who()
    with open_database(_url(database)) as session, atomic_output(out) as handle:
        result = export(session, handle, root=root, published=published, catalogue=catalogue,
                        period=period, by=who, via="cli", today=today(), file_name=out.name)
    click.echo(f"Bevispaketet är skrivet: {out} ({result.files} filer, "
               f"{result.acknowledgements} kvittenser {period.text()}).")
    click.echo(f"Signerat med nyckeln {short(result.fingerprint)}; manifestets SHA-256 "
               f"{result.manifest_sha256}.")
    click.echo(f"Exporten är registrerad (export-id {result.export_id}, av {who}). Paketet "
               "innehåller personuppgifter: lämna det bara till den som ska granska.")
    click.echo(f"Kontrollera: rutinportal evidence verify {out}")


@evidence.command("verify")
@click.argument("file", metavar="FIL.zip", type=click.Path(path_type=Path))
@click.option("--public-key", "public_key", type=click.Path(dir_okay=False, path_type=Path),
              help="Den publicerade publika nyckeln (PEM); standard: den här installationens.")
@user_errors
def evidence_verify(file: Path, public_key: Path | None) -> None:
    """Kontrollera ett bevispaket: signaturen, varje fils SHA-256, att ingen fil saknas eller
    har lagts till, och att varje kvittens gäller den godkända texten."""
    from ..portal.evidence.keys import local_public_key, read_public_key
    from ..portal.evidence.verify import verify

    key = read_public_key(public_key) if public_key else local_public_key(find_root())
    result = verify(file, key)
    if not result.ok:
        lines = "\n".join(f"  {p}" for p in result.problems)
        count = len(result.problems)
        raise UserError(f"Bevispaketet {file} håller inte:\n{lines}\n{count} fel hittades. "
                        "Paketet har ändrats efter exporten, eller är signerat med en annan "
                        "nyckel.")
    click.echo(result.summary())


@evidence.command("public-key")
@user_errors
def evidence_public_key() -> None:
    """Skriv ut den publika nyckeln (PEM) som bevispaketen kontrolleras med. Den privata
    nyckeln skrivs aldrig ut."""
    from ..portal.evidence.keys import fingerprint, key_path, public_pem, short, signing_key

    root = find_root()
    key = signing_key(root).public_key()
    click.echo(public_pem(key), nl=False)
    click.echo(f"Fingeravtryck (SHA-256 av den publika nyckeln): {fingerprint(key)}\n"
               f"Kort: {short(fingerprint(key))}\n"
               "Publicera den publika nyckeln där en granskare hittar den utan att fråga dig, "
               "t.ex. registrerad i diariet hos registratorn och på intranätet:\n"
               "  rutinportal evidence public-key > rutinportal-publik-nyckel.pem\n"
               f"Den privata nyckeln ({key_path(root)}) ska säkerhetskopieras och aldrig "
               "lämnas ut.", err=True)


@main.command()
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Året, t.ex. 2026.")
@click.option("--out", required=True, metavar="MAPP", type=click.Path(path_type=Path),
              help="Mappen att skriva rapporten i (skapas om den inte finns).")
@click.option("--database", help=DATABASE_HELP)
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help=SITE_HELP)
@user_errors
def report(year: int, out: Path, database: str | None, site_dir: Path | None) -> None:
    """Skriv årsrapportens siffror: Markdown, Excel och diagram (PNG och SVG)."""
    from ..content.catalogue import Catalogue
    from ..portal.reporting.figures import annual_report
    from ..portal.reporting.write import check_folder, write_report
    from ..portal.storage.db import open_database

    check_folder(out)
    day = today()
    if year > day.year:
        raise UserError(f"--year: förväntade ett år till och med {day.year}, fick {year}. "
                        "Ingenting har skrivits.")
    root = find_root()
    published = _published(site_dir)
    catalogue = Catalogue.load(root)
    with open_database(_url(database)) as session:
        found = annual_report(session, published, catalogue, year, day)
    written = write_report(found, out)
    click.echo(f"Årsrapporten för {year} (siffror per {found.end.isoformat()}) är skriven i "
               f"{out}:")
    for path in written:
        click.echo(f"  {path.name}")
