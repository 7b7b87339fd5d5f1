"""The operator's commands: serve, roster, person, retention (`db` is in `database`).

Imports of the portal stay inside the commands: `rutinportal check` need not load a web
framework and a database driver.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ..content.problems import ValidationFailed
from ..errors import UserError
from ..repository import find_root
from ..site.build import build_site
from .common import main, user_errors
from .database import DATABASE_HELP


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--database", help="SQLAlchemy-URL, t.ex. postgresql://… "
              "(standard: SQLite i var/; eller RUTINPORTAL_DATABASE).")
@click.option("--auth", type=click.Choice(["dev", "header", "oidc"]),
              help="Inloggning (krävs, eller RUTINPORTAL_AUTH): dev (demo), header "
                   "(intranätets SSO-proxy) eller oidc.")
@click.option("--trusted-proxy", multiple=True,
              help="SSO-proxyns adress eller nät (CIDR); kan anges flera gånger.")
@click.option("--user-header", help="Rubriken med personens id (standard X-Remote-User).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="En redan byggd webbplats att visa (då byggs inget).")
@click.option("--workers", default=1, show_default=True, type=int,
              help="Antal processer (de delar databasen).")
@user_errors
def serve(host: str, port: int, database: str | None, auth: str | None,
          trusted_proxy: tuple[str, ...], user_header: str | None, site_dir: Path | None,
          workers: int) -> None:
    """Bygg den publicerade webbplatsen och visa den med portalen på http://HOST:PORT."""
    import uvicorn

    from ..portal.app import create_app
    from ..portal.operations.access_log import where
    from ..portal.settings import load_settings
    from ..portal.storage.db import masked

    root = find_root()
    # Settings first: no build (and no start) without an auth mode, or with a wrong setting.
    settings = load_settings(root, database=database, auth=auth, trusted_proxies=trusted_proxy,
                             user_header=user_header, site_dir=site_dir)
    if site_dir is None:
        build_site(root, settings.site_dir)
    _export_settings(settings)
    app = create_app(settings)  # migrates and checks everything before we listen
    app.state.engine.dispose()
    click.echo(f"Rutinportalen: http://{host}:{port}/ (inloggning: {settings.auth}, "
               f"databas: {masked(settings.database)})")
    click.echo(f"Åtkomstloggen (en rad JSON per begäran, utan IP-adresser): "
               f"{where(settings.log_file)}")
    if settings.auth == "dev":
        click.echo("DEMOLÄGE: vem som helst kan logga in som vem som helst. Använd aldrig "
                   "--auth dev i drift.")
    uvicorn.run("rutinportal.portal.wsgi:app", host=host, port=port, workers=workers,
                log_level="warning", proxy_headers=False, access_log=False)


def _export_settings(settings) -> None:
    """Hand the resolved settings to the uvicorn worker processes through the environment."""
    os.environ["RUTINPORTAL_ROOT"] = str(settings.root)
    os.environ["RUTINPORTAL_SITE_DIR"] = str(settings.site_dir)
    os.environ["RUTINPORTAL_DATABASE"] = settings.database
    os.environ["RUTINPORTAL_AUTH"] = settings.auth
    os.environ["RUTINPORTAL_SECRET_KEY"] = settings.secret_key
    os.environ["RUTINPORTAL_USER_HEADER"] = settings.user_header
    os.environ["RUTINPORTAL_TRUSTED_PROXIES"] = " ".join(str(n) for n in
                                                         settings.trusted_proxies)
    os.environ["RUTINPORTAL_SESSION_IDLE_MINUTES"] = str(settings.session_idle_minutes)
    os.environ["RUTINPORTAL_QUIZ_COOLDOWN_MINUTES"] = str(settings.quiz_cooldown_minutes)
    os.environ["RUTINPORTAL_MAX_BODY_KB"] = str(settings.max_body_kb)
    os.environ["RUTINPORTAL_LOG_FILE"] = settings.log_file


def _url(database: str | None) -> str:
    from ..portal.settings import database_url

    return database_url(find_root(), database)


@main.group()
def roster() -> None:
    """Personallistan: vilka som finns, deras enheter och roller."""


@roster.command("import")
@click.argument("file", metavar="FIL", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--database", help=DATABASE_HELP)
@user_errors
def roster_import(file: Path, database: str | None) -> None:
    """Importera personallistan (CSV) – se README för kolumnerna."""
    from ..content.organisation import load_organisation
    from ..portal.people.roster import import_roster
    from ..portal.storage.db import masked, open_database

    if not file.exists():
        raise UserError(f"{file}: filen finns inte")
    organisation, problems = load_organisation(find_root())
    if problems:
        raise ValidationFailed(problems)
    url = _url(database)
    with open_database(url) as session:
        result = import_roster(session, file, organisation)
    click.echo(f"Personallistan är importerad till {masked(url)}: {result.added} nya, "
               f"{result.updated} ändrade, {result.deactivated} avaktiverade, "
               f"{result.unchanged} oförändrade.")


@main.group()
def person() -> None:
    """En person: registerutdrag, eller logga ut personen överallt."""


@person.command("export")
@click.argument("person_id", metavar="PERSONID")
@click.option("--database", help=DATABASE_HELP)
@user_errors
def person_export(person_id: str, database: str | None) -> None:
    """Skriv ut allt som finns lagrat om en person som JSON (registerutdrag)."""
    from ..portal.people.personal_data import export_person
    from ..portal.storage.db import open_database

    with open_database(_url(database)) as session:
        data = export_person(session, person_id)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@person.command("sign-out")
@click.argument("person_id", metavar="PERSONID")
@click.option("--database", help=DATABASE_HELP)
@user_errors
def person_sign_out(person_id: str, database: str | None) -> None:
    """Avsluta alla inloggningar för en person (t.ex. en borttappad telefon)."""
    from ..portal.access.sessions import end_all
    from ..portal.people.personal_data import find_person_or_fail
    from ..portal.storage.db import open_database

    with open_database(_url(database)) as session:
        person = find_person_or_fail(session, person_id)
        ended = end_all(session, person)
    click.echo(f"{person.name} ({person.person_id}) är utloggad överallt: {ended} "
               f"{'inloggning' if ended == 1 else 'inloggningar'} avslutades. Nästa gång "
               "behöver personen logga in igen.")


@main.command()
@click.option("--years", type=click.IntRange(min=1),
              help="Lagringstid i år (standard: RUTINPORTAL_RETENTION_YEARS, annars 3).")
@click.option("--database", help=DATABASE_HELP)
@click.option("--dry-run", is_flag=True, help="Räkna bara; radera ingenting.")
@user_errors
def retention(years: int | None, database: str | None, dry_run: bool) -> None:
    """Radera kunskapstestförsök äldre än lagringstiden. Kvittenser sparas alltid."""
    from ..portal.people.personal_data import (count_old_attempts, delete_old_attempts,
                                               retention_cutoff)
    from ..portal.settings import retention_years
    from ..portal.storage.db import masked, open_database

    years = years or retention_years()
    url = _url(database)
    before = retention_cutoff(years).date().isoformat()
    with open_database(url) as session:
        count = (count_old_attempts if dry_run else delete_old_attempts)(session, years)
    where = f"i {masked(url)}"
    if dry_run:
        click.echo(f"Provkörning: {count} kunskapstestförsök äldre än {years} år (gjorda före "
                   f"{before}) skulle raderas {where}. Ingenting har raderats.")
    else:
        click.echo(f"Raderade {count} kunskapstestförsök äldre än {years} år (gjorda före "
                   f"{before}) {where}. Kvittenserna sparas.")
