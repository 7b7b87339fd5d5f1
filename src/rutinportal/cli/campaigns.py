"""The commands about what is owed: exceptions for a person (`person away`, `person extend`,
`person exceptions`) and the e-mail run (`notify`)."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path

import click

from ..errors import UserError
from ..repository import find_root
from .common import DAY, main, today, user_errors
from .portal import DATABASE_HELP, _url, person

SITE_HELP = "Den byggda webbplatsen (standard: RUTINPORTAL_SITE_DIR, annars site/)."


def _site(site_dir: Path | None) -> Path:
    root = find_root()
    return Path(site_dir or os.environ.get("RUTINPORTAL_SITE_DIR") or root / "site")


def _published(site_dir: Path | None):
    from ..portal.published import load_published

    return load_published(find_root(), _site(site_dir))


def _who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "okänd"
    return f"CLI ({user})"


@person.command("away")
@click.argument("person_id", metavar="PERSONID")
@click.option("--until", "until", type=DAY, required=True,
              help="Sista dagen personen är borta (ÅÅÅÅ-MM-DD).")
@click.option("--reason", required=True, help="Skälet, t.ex. \"Föräldraledig\".")
@click.option("--database", help=DATABASE_HELP)
@user_errors
def person_away(person_id: str, until: dt.date, reason: str, database: str | None) -> None:
    """Registrera att en person är borta till och med ett datum (räknas inte med)."""
    from ..portal.campaigns.exceptions import describe, record_away
    from ..portal.people.personal_data import find_person_or_fail
    from ..portal.storage.db import open_database

    with open_database(_url(database)) as session:
        target = find_person_or_fail(session, person_id)
        found = record_away(session, target, until, reason, _who(), today())
        click.echo(f"{target.name} ({target.person_id}): {describe(found)}. Personen räknas "
                   "inte med och får inga påminnelser till dess.")


@person.command("extend")
@click.argument("person_id", metavar="PERSONID")
@click.option("--document",
              help="Dokumentets id (t.ex. RUT-001); utan: allt personen ska göra.")
@click.option("--until", "until", type=DAY, required=True, help="Nytt sista datum (ÅÅÅÅ-MM-DD).")
@click.option("--reason", required=True, help="Skälet, t.ex. \"Nyanställd, introduktion\".")
@click.option("--database", help=DATABASE_HELP)
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help=SITE_HELP)
@user_errors
def person_extend(person_id: str, document: str | None, until: dt.date, reason: str,
                  database: str | None, site_dir: Path | None) -> None:
    """Ge en person ett senare sista datum, för ett dokument eller för allt."""
    from ..portal.campaigns.exceptions import describe, record_extension
    from ..portal.people.personal_data import find_person_or_fail
    from ..portal.storage.db import open_database

    published = _published(site_dir)
    with open_database(_url(database)) as session:
        target = find_person_or_fail(session, person_id)
        found = record_extension(session, target, published, document, until, reason, _who(),
                                 today())
        titles = {d.id: d.title for d in published.documents.values()}
        click.echo(f"{target.name} ({target.person_id}): {describe(found, titles)}.")


@person.command("exceptions")
@click.argument("person_id", metavar="PERSONID")
@click.option("--database", help=DATABASE_HELP)
@user_errors
def person_exceptions(person_id: str, database: str | None) -> None:
    """Visa en persons undantag: frånvaro och senare datum, med vem och när."""
    from ..portal.campaigns.exceptions import describe, of_person
    from ..portal.people.personal_data import find_person_or_fail
    from ..portal.storage.db import open_database

    with open_database(_url(database)) as session:
        target = find_person_or_fail(session, person_id)
        found = of_person(session, target, include_revoked=True)
    if not found:
        click.echo(f"{target.name} ({target.person_id}) har inga undantag.")
        return
    click.echo(f"Undantag för {target.name} ({target.person_id}):")
    for item in found:
        when = item.recorded_at.date().isoformat()
        ended = f" – borttaget {item.revoked_at.date().isoformat()} av {item.revoked_by}" \
            if item.revoked_at else ""
        click.echo(f"  {describe(item)}; registrerat {when} av {item.recorded_by}{ended}")


@main.command()
@click.option("--today", "day", type=DAY, help="Kör som om det vore detta datum (ÅÅÅÅ-MM-DD).")
@click.option("--dry-run", is_flag=True,
              help="Visa vad som skulle skickas; skicka och spara ingenting.")
@click.option("--database", help=DATABASE_HELP)
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help=SITE_HELP)
@click.option("--verbose", "-v", is_flag=True, help="Visa serverns svar för varje meddelande.")
@user_errors
def notify(day: dt.date | None, dry_run: bool, database: str | None, site_dir: Path | None,
           verbose: bool) -> None:
    """Skicka dagens e-post: nytt att göra, påminnelser, veckosammanfattningar till chefer,
    beslut som väntar och översyner. Varje meddelande skickas en gång (se README)."""
    from ..content.catalogue import Catalogue
    from ..portal.notify.run import notify as run
    from ..portal.notify.settings import load_mail_settings
    from ..portal.storage.db import open_database

    settings = load_mail_settings()
    if not dry_run:
        settings.require_sending()
    published = _published(site_dir)
    catalogue = Catalogue.load(find_root())
    with open_database(_url(database)) as session:
        result = run(session, published, catalogue, settings, day or today(), dry_run,
                     click.echo if verbose else None)
    if dry_run:
        for item in result.planned:
            click.echo("─" * 72)
            click.echo(f"Till: {item.draft.person.name} <{item.draft.person.email}>")
            click.echo(f"Ämne: {item.subject}")
            click.echo("")
            click.echo(item.text.rstrip())
        if result.planned:
            click.echo("─" * 72)
        if not settings.public_url:
            click.echo("(RUTINPORTAL_PUBLIC_URL är inte satt: länkarna visas med "
                       "http://127.0.0.1:8000.)")
    click.echo(result.line(dry_run))
    if result.deferred and not dry_run:
        raise UserError(f"{result.deferred} meddelanden kunde inte skickas nu och försöks "
                        "igen nästa körning.")
