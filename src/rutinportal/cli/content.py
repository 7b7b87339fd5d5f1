"""The coordinator's commands: check, build, new, submit, approve, revise, retire, status."""

from __future__ import annotations

from pathlib import Path

import click

from ..approval import lifecycle
from ..approval.rehash import rehash
from ..approval.status import format_table, status_rows
from ..content.catalogue import Catalogue, validate
from ..repository import find_root
from ..site.build import build_site
from .common import main, today, user_errors


def _report(action: str, docs) -> None:
    for doc in docs:
        click.echo(f"{doc.id} {action}: {doc.shown}")


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
              help="Mapp för den byggda webbplatsen.")
@user_errors
def build(preview: bool, site_dir: Path | None) -> None:
    """Bygg webbplatsen (bara godkända versioner, om inte --preview)."""
    target = build_site(find_root(), site_dir, preview)
    kind = "Förhandsvisningen" if preview else "Webbplatsen"
    click.echo(f"{kind} är byggd i {target}")


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
def snapshots() -> None:
    """Godkända versioner i approved/."""


@snapshots.command("rehash")
@click.option("--confirm", is_flag=True, help="Skriv om filerna (utan flaggan: visa bara vad "
              "som skulle göras).")
@user_errors
def snapshots_rehash(confirm: bool) -> None:
    """Engångsmigrering: bind alla nycklar och frys quizen i varje godkänd version."""
    root = find_root()
    plan = rehash(root, confirm)
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
