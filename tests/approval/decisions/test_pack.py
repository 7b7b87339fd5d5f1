"""The decision pack's content, in HTML: the cover table, the redline against the approved
version, the returns, what else changes, and the proposed decisions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rutinportal.approval.decisions.pack import choose_documents, decision_pack
from rutinportal.approval.decisions.render import pack_html
from rutinportal.content.catalogue import Catalogue
from rutinportal.errors import UserError

from .conftest import TODAY, table, visible

LG = "Ledningsgruppen Utveckling och stöd"
DECISIONS = [
    f"{LG} beslutar att godkänna RUT-901 version 2, rutinen ”Lås datorn”.",
    f"{LG} beslutar att godkänna RUT-902 version 1, rutinen ”Personnummer i mejl”.",
]


def render(root: Path, counts: dict[str, int] | None, *ids: str) -> str:
    catalogue = Catalogue.load(root)
    body, docs = choose_documents(catalogue, ids, None)
    return pack_html(decision_pack(catalogue, body, docs, TODAY, counts))


def section(html: str, doc_id: str) -> str:
    start = html.index(f'<section class="rp-pack__document" id="{doc_id}"')
    return html[start:html.index("</section>", start)]


def test_the_cover_names_the_body_and_the_day_and_tables_the_documents(two_waiting) -> None:
    html = render(two_waiting, {"RUT-901": 17, "RUT-902": 8})
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"sv\">")
    assert f"<title>Beslutsunderlag 2026-11-28 – {LG}</title>" in html
    assert "<h1>Beslutsunderlag</h1>" in html
    assert table(html, "Underlaget") == [
        ["Beslutande organ", f"{LG} (ordförande: Avdelningschef Utveckling och stöd)"],
        ["Datum", "2026-11-28"],
        ["Ärenden", "2 dokument för beslut"]]
    assert table(html, "Dokument som väntar på beslut av") == [
        ["Id", "Titel", "Informations\xadägare", "Version", "Väntat (dagar)", "Ändring i sak",
         "Ska kvittera"],
        # returned once: waiting since it came back (2026-10-29), second round
        ["RUT-901", "Lås datorn", "Verksamhetschef hemtjänst", "2", "30 (omgång 2)", "Ja",
         "17 personer"],
        ["RUT-902", "Personnummer i mejl", "Verksamhetschef hemtjänst", "1", "10",
         "Nytt dokument", "8 personer"]]
    # Real table headers, for a screen reader and for the PDF's tags.
    assert html.count('<th scope="col">') == 7 + 4 + 3 and '<th scope="row"><a href="#RUT-901">' \
        in html
    assert re.findall(r"<li>(.*?)</li>", html.split('<ol class="rp-pack__decisions">')[1]
                      .split("</ol>")[0]) == DECISIONS


def test_a_revised_document_has_its_note_returns_facts_and_a_word_level_redline(
        two_waiting) -> None:
    html = section(render(two_waiting, {"RUT-901": 17, "RUT-902": 8}), "RUT-901")
    assert '<h2 id="RUT-901-rubrik">RUT-901 Lås datorn, version 2</h2>' in html
    assert ["Slag", "Rutin, ny version av gällande version 1 (godkänd 2026-01-12, LG U&S "
            "2026-01-12 § 3)"] in table(html, "Uppgifter om RUT-901")
    assert ["Inskickad", "2026-10-29, har väntat 30 dagar; omgång 2"] in \
        table(html, "Uppgifter om RUT-901")
    assert f'<p class="rp-pack__decision">{DECISIONS[0]}</p>' in html
    assert ("<h3>Ändringsnotering</h3>\n"
            "<p>Journalen stängs först, och samordnaren får veta.</p>") in html
    assert table(html, "Tidigare behandling av version 2: 1 återremiss") == [
        ["Datum", "Organ", "Kommentar", "Beslut"],
        ["2026-10-19", LG, "Förtydliga vem som ska få veta.", "LG U&S 2026-10-19 § 5"]]
    assert table(html, "Uppgifter om dokumentet som ändras mot version 1") == [
        ["Uppgift", "Version 1 (gällande)", "Version 2 (förslag)"],
        ["Målgrupp", "borttaget: Hemtjänst", "tillagt: Hemtjänst, Larm och trygghetstjänster"]]
    # Words inserted inside a paragraph, a new list item, a heading that went: each marked
    # with <ins>/<del> and said in words.
    assert ('Berätta för din chef <ins class="rp-ins"><span class="rp-redline__label">tillagt:'
            '</span> och för informationssäkerhetssamordnaren</ins>.') in html
    assert ('<li class="rp-redline__block rp-redline__block--inserted rp-redline__depth-1">'
            '<span class="rp-redline__label rp-redline__label--block">Nytt:</span> '
            '<ins class="rp-ins">Stäng journalen först.</ins></li>') in html
    assert ('<span class="rp-redline__label rp-redline__label--block">Borttaget:</span> '
            '<del class="rp-del">Syfte</del></h4>') in html
    # The whole proposed text is there, unchanged parts too, under the document's heading.
    assert '<h4 class="rp-redline__block rp-redline__block--same">Så här gör du</h4>' in html
    assert "Tryck Windows + L." in html
    assert "11 ord har lagts till och 1 tagits bort." in visible(html)


def test_a_new_document_is_shown_in_full(two_waiting) -> None:
    html = section(render(two_waiting, {"RUT-901": 17, "RUT-902": 8}), "RUT-902")
    assert ["Slag", "Rutin, nytt dokument"] in table(html, "Uppgifter om RUT-902")
    assert "Ingen ändringsnotering: det är ett nytt dokument." in html
    assert "Återremisser" not in html and "<ins" not in html and "<del" not in html
    assert ("<h3>Texten i sin helhet</h3>\n<p class=\"rp-pack__legend\">Nytt dokument: det "
            "finns ingen godkänd version att jämföra med.</p>") in html
    assert "<h4>Så här gör du</h4>\n<ul>\n<li>Skriv personnumret i meddelandet, i skyddad " \
        "e-post.</li>" in html


def test_without_a_roster_the_count_is_unknown_and_says_why(two_waiting) -> None:
    html = render(two_waiting, None)
    rows = table(html, "Dokument som väntar på beslut av")
    assert [row[-1] for row in rows[1:]] == ["okänt (ingen personallista)"] * 2
    assert ("Antalet som ska kvittera är okänt: portalen har ingen personallista att räkna "
            "från (rutinportal roster import).") in html


def test_who_must_acknowledge_follows_mandatory_and_material_change(two_waiting) -> None:
    revised = two_waiting / "routines/las-datorn.md"
    revised.write_text(revised.read_text(encoding="utf-8").replace(
        "mandatory: true", "mandatory: true\nmaterial_change: false"), encoding="utf-8")
    new = two_waiting / "routines/personnummer-i-mejl.md"
    new.write_text(new.read_text(encoding="utf-8").replace("mandatory: true",
                                                           "mandatory: false"),
                   encoding="utf-8")
    rows = table(render(two_waiting, {"RUT-901": 17, "RUT-902": 8}),
                 "Dokument som väntar på beslut av")
    assert [row[-2:] for row in rows[1:]] == [
        ["Nej", "ingen ny kvittens (inte ändring i sak)"],
        ["Nytt dokument", "ingen (inte obligatorisk)"]]


def test_text_from_the_documents_is_escaped(two_waiting) -> None:
    path = two_waiting / "routines/personnummer-i-mejl.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Personnummer i mejl", "title: 'Mejl <script>alert(1)</script> & \"citat\"'"),
        encoding="utf-8")
    html = render(two_waiting, None)
    assert "<script>" not in html
    assert "Mejl &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;citat&#34;" in html


def test_named_documents_must_be_submitted_and_for_one_body(example_repo) -> None:
    catalogue = Catalogue.load(example_repo)
    with pytest.raises(UserError) as caught:
        choose_documents(catalogue, ("RUT-004", "RUT-008"), None)
    assert str(caught.value) == (
        "routines/sakerhetskontroll-it-inkop.md: decided_by: RUT-008 beslutas av "
        "styrgruppen-it, inte av lg-us; ett beslutsunderlag gäller ett organ\n"
        "Inget beslutsunderlag har skrivits.")
    body, docs = choose_documents(catalogue, ("RUT-008",), None)
    assert body.id == "styrgruppen-it" and [d.id for d in docs] == ["RUT-008"]
    # A document that names no body may be put before another one, as approve --by allows.
    body, docs = choose_documents(catalogue, ("RUT-004",), "sektorsledningen")
    assert body.id == "sektorsledningen" and [d.id for d in docs] == ["RUT-004"]
