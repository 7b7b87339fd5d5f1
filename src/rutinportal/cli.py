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
@click.option("--database", help="SQLAlchemy-URL, t.ex. postgresql://… "
              "(standard: SQLite i var/; eller RUTINPORTAL_DATABASE).")
@click.option("--auth", type=click.Choice(["dev", "header", "oidc"]),
              help="Inloggning: dev (demo), header (intranätets SSO-proxy) eller oidc.")
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

    from .portal.db import masked
    from .portal.settings import load_settings

    root = find_root()
    if site_dir is None:
        site_dir = build_site(root)
    settings = load_settings(root, database=database, auth=auth, trusted_proxies=trusted_proxy,
                             user_header=user_header, site_dir=site_dir)
    _export_settings(settings)
    from .portal.app import create_app

    app = create_app(settings)  # migrates and checks everything before we listen
    app.state.engine.dispose()
    click.echo(f"Rutinportalen: http://{host}:{port}/ (inloggning: {settings.auth}, "
               f"databas: {masked(settings.database)})")
    if settings.auth == "dev":
        click.echo("DEMOLÄGE: vem som helst kan logga in som vem som helst. Använd aldrig "
                   "--auth dev i drift.")
    uvicorn.run("rutinportal.portal.wsgi:app", host=host, port=port, workers=workers,
                log_level="warning", proxy_headers=False)


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


@main.group()
def db() -> None:
    """Databasen: schemamigreringar."""


@db.command("upgrade")
@click.option("--database", help="SQLAlchemy-URL (standard: SQLite i var/).")
@user_errors
def db_upgrade(database: str | None) -> None:
    """Uppdatera databasens schema till senaste versionen."""
    from .portal.db import make_engine, masked
    from .portal.migrate import current, upgrade
    from .portal.settings import env
    from .portal.db import default_url

    url = database or env("DATABASE") or default_url(find_root())
    engine = make_engine(url)
    upgrade(engine)
    click.echo(f"Databasen {masked(url)} har schemaversion {current(engine)}.")
    engine.dispose()


@main.group()
def roster() -> None:
    """Personallistan: vilka som finns, deras enheter och roller."""


@roster.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--database", help="SQLAlchemy-URL (standard: SQLite i var/).")
@user_errors
def roster_import(file: Path, database: str | None) -> None:
    """Importera personallistan (CSV) – se README för kolumnerna."""
    from .organisation import load_organisation
    from .portal.db import default_url, make_engine, masked, session_factory
    from .portal.migrate import upgrade
    from .portal.roster import import_roster
    from .portal.settings import env

    root = find_root()
    if not file.exists():
        raise UserError(f"{file}: filen finns inte")
    organisation, problems = load_organisation(root)
    if problems:
        from .errors import ValidationFailed
        raise ValidationFailed(problems)
    url = database or env("DATABASE") or default_url(root)
    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_factory(engine)() as session:
            result = import_roster(session, file, organisation)
    finally:
        engine.dispose()
    click.echo(f"Personallistan är importerad till {masked(url)}: {result.added} nya, "
               f"{result.updated} ändrade, {result.deactivated} avaktiverade, "
               f"{result.unchanged} oförändrade.")


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


@main.group()
def person() -> None:
    """Personuppgifter: registerutdrag för en person."""


@person.command("export")
@click.argument("person_id")
@click.option("--database", help="SQLAlchemy-URL (standard: SQLite i var/).")
@user_errors
def person_export(person_id: str, database: str | None) -> None:
    """Skriv ut allt som finns lagrat om en person som JSON (registerutdrag)."""
    import json

    from .portal.db import default_url, make_engine, session_factory
    from .portal.migrate import upgrade
    from .portal.personal_data import export_person
    from .portal.settings import env

    url = database or env("DATABASE") or default_url(find_root())
    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_factory(engine)() as session:
            data = export_person(session, person_id)
    finally:
        engine.dispose()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@main.command()
@click.option("--years", type=click.IntRange(min=1),
              help="Lagringstid i år (standard: RUTINPORTAL_RETENTION_YEARS, annars 3).")
@click.option("--database", help="SQLAlchemy-URL (standard: SQLite i var/).")
@click.option("--dry-run", is_flag=True, help="Räkna bara; radera ingenting.")
@user_errors
def retention(years: int | None, database: str | None, dry_run: bool) -> None:
    """Radera kunskapstestförsök äldre än lagringstiden. Kvittenser sparas alltid."""
    from .portal.db import make_engine, masked, session_factory
    from .portal.migrate import upgrade
    from .portal.personal_data import count_old_attempts, delete_old_attempts, \
        retention_cutoff
    from .portal.settings import load_settings

    settings = load_settings(find_root(), database=database)
    years = years or settings.retention_years
    before = retention_cutoff(years).date().isoformat()
    engine = make_engine(settings.database)
    try:
        upgrade(engine)
        with session_factory(engine)() as session:
            if dry_run:
                count = count_old_attempts(session, years)
            else:
                count = delete_old_attempts(session, years)
    finally:
        engine.dispose()
    where = f"i {masked(settings.database)}"
    if dry_run:
        click.echo(f"Provkörning: {count} kunskapstestförsök äldre än {years} år (gjorda före "
                   f"{before}) skulle raderas {where}. Ingenting har raderats.")
    else:
        click.echo(f"Raderade {count} kunskapstestförsök äldre än {years} år (gjorda före "
                   f"{before}) {where}. Kvittenserna sparas.")
