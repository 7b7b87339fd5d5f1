"""The coordinator's commands about content: check, build, new, status, snapshots."""

from __future__ import annotations

from pathlib import Path

import click

from ..approval.creating import new as create
from ..approval.rehash import rehash
from ..approval.status import format_table, status_rows
from ..content.catalogue import Catalogue, validate
from ..repository import find_root
from ..site.build import build_site
from .common import main, today, user_errors


@main.command()
@user_errors
def check() -> None:
    """Kontrollera allt innehåll och rapportera alla problem på en gång."""
    catalogue = validate(find_root()).catalogue
    for warning in catalogue.warnings:
        click.echo(f"Varning: {warning}", err=True)
    click.echo(f"Inga problem: {len(catalogue.documents)} dokument och "
               f"{len(catalogue.quizzes)} kunskapstest kontrollerade.")


@main.command()
@click.option("--preview", is_flag=True, help="Bygg med utkast (för beslutsfattare).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="MAPP", help="Mapp för den byggda webbplatsen.")
@user_errors
def build(preview: bool, site_dir: Path | None) -> None:
    """Bygg webbplatsen (bara godkända versioner, om inte --preview)."""
    target = build_site(find_root(), site_dir, preview)
    kind = "Förhandsvisningen" if preview else "Webbplatsen"
    click.echo(f"{kind} är byggd i {target}")


@main.command()
@click.argument("kind", type=click.Choice(["routine", "training", "lesson"]), metavar="SORT")
@click.argument("title", metavar="TITEL")
@click.option("--course", metavar="KURS",
              help="Kursens id för en utbildningsmodul (se courses.yml); modulen får "
                   "kursens målgrupp.")
@user_errors
def new(kind: str, title: str, course: str | None) -> None:
    """Skapa ett nytt utkast. SORT: routine (rutin), training (utbildningsmodul) eller
    lesson (lärdom)."""
    catalogue = Catalogue.load(find_root())
    path = create(catalogue, kind, title, course)
    click.echo(f"Skapade {path.relative_to(catalogue.root)}")


@main.command()
@user_errors
def status() -> None:
    """Visa alla dokument: status, version, väntan på beslut per organ, återremisser och
    nästa översyn."""
    catalogue = Catalogue.load(find_root())
    click.echo(format_table(status_rows(catalogue, today())))
    if catalogue.problems:
        click.echo(f"\n{len(catalogue.problems)} problem i innehållet: kör rutinportal check.",
                   err=True)


@main.group()
def snapshots() -> None:
    """Godkända versioner i approved/."""


@snapshots.command("rehash")
@click.option("--confirm", is_flag=True, help="Skriv om filerna (utan flaggan: visa bara vad "
              "som skulle göras).")
@user_errors
def snapshots_rehash(confirm: bool) -> None:
    """Engångsmigrering: bind alla nycklar och frys quizen i varje godkänd version."""
    plan = rehash(find_root(), confirm)
    if not plan.snapshots:
        click.echo(f"Inget att göra: alla {plan.already} godkända versioner binder redan "
                   "alla nycklar.")
        return
    what = (f"{plan.snapshots} godkända versioner får en kontrollsumma över alla nycklar, "
            f"{plan.quizzes} kunskapstest fryses i approved/ och {plan.working_copies} "
            "arbetskopior får den nya kontrollsumman")
    if confirm:
        click.echo(f"Klart: {what}. Granska ändringen (git diff) och checka in den.")
    else:
        click.echo(f"Provkörning: {what}. Ingenting har ändrats; kör med --confirm.")
