"""The coordinator's commands about decisions: submit, approve, return, revise, retire,
reinstate. Each checks everything before it writes anything."""

from __future__ import annotations

import datetime as dt

import click

from ..approval import lifecycle
from ..content.catalogue import Catalogue
from ..repository import find_root
from .common import DAY, confirm, main, today, user_errors

IDS = dict(nargs=-1, required=True, metavar="ID...")
BY_HELP = "Organet som beslutade: id eller namn ur decision_bodies i organisation.yml."
DATE_HELP = "Mötets datum ÅÅÅÅ-MM-DD (standard i dag; inte i framtiden)."


def _report(action: str, docs) -> None:
    for doc in docs:
        click.echo(f"{doc.id} {action}: {doc.shown}")


@main.command()
@click.argument("ids", **IDS)
@user_errors
def submit(ids: tuple[str, ...]) -> None:
    """Skicka utkast för beslut (väntetiden räknas från i dag)."""
    _report("skickad för beslut", lifecycle.submit(Catalogue.load(find_root()), list(ids),
                                                   today()))


@main.command()
@click.argument("ids", **IDS)
@click.option("--by", "by", required=True, metavar="ORGAN", help=BY_HELP)
@click.option("--decision", required=True, metavar="REF",
              help="Beslutsreferens, t.ex. \"LG U&S 2026-03-02 § 4\".")
@click.option("--date", "on", type=DAY, help=DATE_HELP)
@user_errors
def approve(ids: tuple[str, ...], by: str, decision: str, on: dt.date | None) -> None:
    """Registrera ett beslut: godkänn ett eller flera dokument i samma beslut."""
    docs = lifecycle.approve(Catalogue.load(find_root()), list(ids), by, decision, today(), on)
    _report(f"godkänd ({decision})", docs)


@main.command("return")
@click.argument("ids", **IDS)
@click.option("--comment", required=True, metavar="TEXT",
              help="Vad som ska ändras, med organets ord.")
@click.option("--by", "by", metavar="ORGAN", help=BY_HELP + " Standard: dokumentets organ.")
@click.option("--decision", metavar="REF", help="Beslutsreferens, om återremissen protokollförts.")
@click.option("--date", "on", type=DAY, help=DATE_HELP)
@user_errors
def return_(ids: tuple[str, ...], comment: str, by: str | None, decision: str | None,
            on: dt.date | None) -> None:
    """Återremittera: skicka tillbaka ett inskickat dokument till utkast med en kommentar."""
    docs = lifecycle.return_for_changes(Catalogue.load(find_root()), list(ids), comment, by,
                                        decision, today(), on)
    _report("återremitterad och är ett utkast igen", docs)


@main.command()
@click.argument("ids", **IDS)
@user_errors
def revise(ids: tuple[str, ...]) -> None:
    """Påbörja nästa version av ett godkänt eller upphävt dokument (utkast, ny version)."""
    _report("är ett utkast till nästa version", lifecycle.revise(Catalogue.load(find_root()),
                                                                  list(ids)))


@main.command()
@click.argument("ids", **IDS)
@click.option("--decision", required=True, metavar="REF",
              help="Beslutsreferens för upphävandet.")
@click.option("--by", "by", metavar="ORGAN", help=BY_HELP + " Standard: dokumentets organ.")
@click.option("--date", "on", type=DAY, help=DATE_HELP)
@click.option("--yes", is_flag=True, help="Fråga inte (för skript).")
@user_errors
def retire(ids: tuple[str, ...], decision: str, by: str | None, on: dt.date | None,
           yes: bool) -> None:
    """Upphäv dokument: de försvinner från webbplatsen vid nästa bygge."""
    catalogue = Catalogue.load(find_root())

    def ask(docs) -> None:
        for doc in docs:
            linking = lifecycle.linking_documents(catalogue, doc.id)
            if linking:
                click.echo(f"Publicerade dokument som länkar till {doc.id}:", err=True)
                for other, path, line in linking:
                    click.echo(f"  {other} ({path}:{line})", err=True)
                click.echo("  Länkarna visas som text med noten *Dokumentet har upphävts* "
                           "tills dokumenten revideras.", err=True)
            else:
                click.echo(f"Inga publicerade dokument länkar till {doc.id}.", err=True)
        confirm(f"Upphäva {', '.join(d.id for d in docs)}?", yes)

    _report(f"upphävd ({decision})", lifecycle.retire(catalogue, list(ids), decision, by,
                                                       today(), on, ask))


@main.command()
@click.argument("ids", **IDS)
@click.option("--decision", required=True, metavar="REF", help="Beslutsreferens.")
@click.option("--by", "by", metavar="ORGAN", help=BY_HELP + " Standard: dokumentets organ.")
@click.option("--date", "on", type=DAY, help=DATE_HELP)
@user_errors
def reinstate(ids: tuple[str, ...], decision: str, by: str | None, on: dt.date | None) -> None:
    """Återinför ett upphävt dokument oförändrat, som en ny godkänd version."""
    docs = lifecycle.reinstate(Catalogue.load(find_root()), list(ids), decision, by, today(),
                               on)
    _report(f"återinförd ({decision})", docs)
