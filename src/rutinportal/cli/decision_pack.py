"""`rutinportal decision-pack`: the decision pack (beslutsunderlag) as PDF or HTML.

Everything is checked before anything is written (the output, the body, the documents), and
the file is written atomically: a refused or failed command leaves no file, or the old one.
The roster is only read, when there is one; without it the pack says the count is unknown.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..approval.decisions.pack import choose_documents, decision_pack
from ..approval.decisions.render import pack_html
from ..approval.writing import atomic_write
from ..content.catalogue import Catalogue
from ..errors import UserError
from ..repository import find_root
from .common import main, today, user_errors

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def output_format(out: Path) -> str:
    """"pdf" or "html" from the file name, once the file can be written there."""
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise UserError(f"--out: förväntade en fil som slutar på .pdf eller .html, fick "
                        f"'{out}'")
    if out.is_dir():
        raise UserError(f"--out: '{out}' är en mapp; förväntade en fil som slutar på "
                        f"{out.suffix}")
    folder = out.parent
    if not folder.is_dir():
        raise UserError(f"--out: mappen '{folder}' finns inte; skapa den först eller välj en "
                        "annan plats")
    if not os.access(folder, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UserError(f"--out: kan inte skriva '{out}' (ingen skrivrätt); välj en annan plats")
    return kind


@main.command("decision-pack")
@click.argument("ids", nargs=-1, metavar="[ID...]")
@click.option("--body", "body", metavar="ORGAN",
              help="Organet som ska besluta: id eller namn ur decision_bodies i "
                   "organisation.yml (standard: defaults.decided_by, eller organet för de "
                   "dokument som anges).")
@click.option("--out", required=True, metavar="FIL.pdf|FIL.html",
              type=click.Path(path_type=Path),
              help="Filen att skriva: .pdf (tillgänglig PDF, A4) eller .html.")
@click.option("--database", help="Personallistans databas, för antalet som ska kvittera "
              "(standard: RUTINPORTAL_DATABASE, annars SQLite i var/). Saknas den visas "
              "antalet som okänt.")
@user_errors
def decision_pack_command(ids: tuple[str, ...], body: str | None, out: Path,
                          database: str | None) -> None:
    """Skriv ett beslutsunderlag: dokumenten som väntar på beslut, med ändringarna markerade.

    Utan ID tas alla dokument med som skickats för beslut till organet (--body, standard
    organisation.yml:s defaults.decided_by). Med ID tas de dokumenten med; de ska vara
    inskickade och beslutas av samma organ.
    """
    from ..portal.decisions.audience import roster_counts
    from ..portal.settings import database_url

    kind = output_format(out)
    root = find_root()
    catalogue = Catalogue.load(root)
    chosen, docs = choose_documents(catalogue, ids, body)
    roster = roster_counts(database_url(root, database), docs)
    if roster.missing:
        click.echo(f"Varning: {roster.missing} Antalet som ska kvittera visas som okänt i "
                   "underlaget.", err=True)
    html = pack_html(decision_pack(catalogue, chosen, docs, today(), roster.counts))
    pages = ""
    if kind == "pdf":
        from ..approval.decisions.pdf import to_pdf

        pdf = to_pdf(html)
        data: str | bytes = pdf.data
        pages = f", {pdf.pages} sidor"
    else:
        data = html
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise UserError(f"--out: kunde inte skriva '{out}': {exc.strerror or exc}") from None
    click.echo(f"Beslutsunderlag för {chosen.name}: {len(docs)} dokument "
               f"({', '.join(d.id for d in docs)}){pages}. Skrivet till {out}")
