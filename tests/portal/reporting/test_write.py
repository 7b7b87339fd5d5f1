"""The report's files: Markdown with real headings, captioned tables with header rows and
charts with alt text, every value escaped; the workbook with one sheet per table; PNG and SVG
charts that are reproducible; `rutinportal report` and its Swedish errors."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import openpyxl
import pypdf
import pytest
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.content.catalogue import Catalogue
from rutinportal.portal.published import Published
from rutinportal.portal.reporting.as_of import published_on
from rutinportal.portal.reporting.charts import HATCHES, OKABE_ITO
from rutinportal.portal.reporting.figures import annual_report
from rutinportal.portal.reporting.markdown import text
from rutinportal.portal.reporting.tables import report_tables
from rutinportal.portal.reporting.write import report_files
from rutinportal.portal.storage.db import open_database
from rutinportal.testing.pdf_ua import assert_pdf_ua

from ...approval.test_decisions import run
from ...conftest import routine
from ..evidence.conftest import seed

TODAY = dt.date.today()
HOSTILE = "Rutin | med <script>alert(1)</script>, *stjärnor* och [länk](http://x)"


def test_a_value_is_always_markdown_text() -> None:
    assert text(HOSTILE) == (r"Rutin \| med \<script\>alert(1)\</script\>, \*stjärnor\* och "
                             r"\[länk\](http://x)")
    assert text("rad ett\nrad två") == "rad ett rad två"
    assert (text(None), text(True), text(14.5), text(dt.date(2026, 3, 2)), text(7)) == \
        ("–", "ja", "14,5", "2026-03-02", "7")


@pytest.fixture
def hostile_report(empty_repo: Path, tmp_path: Path):
    """A repository with one approved routine whose title is hostile, and an empty database."""
    routine(empty_repo, "fientlig", "RUT-901", title=HOSTILE)
    assert run("submit", "RUT-901", today=f"{TODAY.year}-01-05")[0] == 0
    code, out = run("approve", "RUT-901", "--by", "lg-us", "--decision", "LG | § 1",
                    today=f"{TODAY.year}-01-19")
    assert code == 0, out
    catalogue = Catalogue.load(empty_repo)
    base = Published({}, {}, {}, [], catalogue.organisation)
    published = published_on(base, catalogue, TODAY)
    with open_database(f"sqlite:///{(tmp_path / 'tom.sqlite3').as_posix()}") as session:
        return annual_report(session, published, catalogue, TODAY.year, TODAY)


def test_the_markdown_is_structured_and_escapes_every_value(hostile_report) -> None:
    files = dict(report_files(hostile_report))
    markdown = files[f"arsrapport-{TODAY.year}.md"].decode("utf-8")
    headings = re.findall(r"^(#+) (.+)$", markdown, re.M)
    assert headings == [("#", f"Informationssäkerhet {TODAY.year}: siffror till årsrapporten"),
                        ("##", "1. Rutiner och utbildning"), ("##", "2. Beslut"),
                        ("##", "3. Kommunikation: kvittenser av obligatoriska rutiner"),
                        ("##", "4. Utbildning"), ("##", "5. Lärdomar"),
                        ("##", "Om siffrorna")]
    assert "<script>" not in markdown and "*stjärnor*" not in markdown
    assert r"| RUT-901 | Rutin \| med \<script\>alert(1)\</script\>, \*stjärnor\* och " \
           r"\[länk\](http://x) | 1 | Ledningsgruppen Utveckling och stöd |" in markdown
    # Every table: a caption, then a header row and its separator; every row as wide.
    for block in re.findall(r"\*Tabell \d+\. [^\n]+\*\n\n((?:\|[^\n]*\n)+)", markdown):
        lines = block.splitlines()
        assert re.fullmatch(r"\|( -{3}:? \|)+", lines[1]), lines[:2]
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert len(widths) == 1, lines
    assert len(re.findall(r"^\*Tabell \d+\.", markdown, re.M)) == 13
    images = re.findall(r"^!\[([^\]]*(?:\\\][^\]]*)*)\]\(([\w-]+\.png)\)$", markdown, re.M)
    assert [name for _, name in images] == ["beslutstider.png", "kvittenser-per-kvartal.png",
                                            "nis2-per-enhet.png",
                                            "grundutbildning-per-enhet.png"]
    assert all(alt.startswith("Stapeldiagram: ") and len(alt) > 80 for alt, _ in images)
    assert "Medianen var 14 dagar från första inlämningen till beslut" in markdown


def test_the_workbook_has_one_sheet_per_table(hostile_report) -> None:
    files = dict(report_files(hostile_report))
    workbook = openpyxl.load_workbook(io.BytesIO(files[f"arsrapport-{TODAY.year}.xlsx"]))
    tables = [t for section in report_tables(hostile_report).values() for t in section]
    assert workbook.sheetnames == ["Om rapporten", *(t.table.sheet for t in tables)]
    decided = workbook["Beslut"]
    assert [c.value for c in decided[1]] == list(tables[4].columns)
    assert decided["B2"].value == HOSTILE and decided["G2"].value == 14  # text, a number
    assert workbook["Om rapporten"]["B2"].value == TODAY.year


def test_the_charts_are_png_and_svg_accessible_and_reproducible(hostile_report) -> None:
    files = dict(report_files(hostile_report))
    again = dict(report_files(hostile_report))
    for name in ("beslutstider", "kvittenser-per-kvartal", "nis2-per-enhet",
                 "grundutbildning-per-enhet"):
        assert files[f"{name}.png"].startswith(b"\x89PNG\r\n\x1a\n")
        svg = ElementTree.fromstring(files[f"{name}.svg"])
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert b"<dc:date>" not in files[f"{name}.svg"]
        assert files[f"{name}.svg"] == again[f"{name}.svg"]
    assert len(set(OKABE_ITO)) == len(OKABE_ITO) and len(set(HATCHES)) == len(HATCHES)
    decisions = files["beslutstider.svg"].decode("utf-8")
    assert "14 dagar" in decisions and "Median" in decisions and "Längst" in decisions


def structure(node, found: list[dict]) -> list[dict]:
    """Every element of a PDF's structure tree, depth first: its role and alt text."""
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        for kid in node:
            structure(kid, found)
    elif isinstance(node, pypdf.generic.DictionaryObject):
        if "/S" in node:
            found.append({"role": str(node["/S"]), "alt": str(node.get("/Alt", ""))})
        if "/K" in node:
            structure(node["/K"], found)
    return found


def test_the_pdf_is_tagged_says_what_the_markdown_says(hostile_report) -> None:
    files = dict(report_files(hostile_report))
    data = files[f"arsrapport-{TODAY.year}.pdf"]
    assert_pdf_ua(data, title=f"Informationssäkerhet {TODAY.year}: siffror till årsrapporten")
    reader = pypdf.PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv" and bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == f"Informationssäkerhet {TODAY.year}: siffror till " \
        "årsrapporten"
    assert all(tuple(round(v) for v in page.mediabox.upper_right) == (595, 842)
               for page in reader.pages)
    elements = structure(catalog["/StructTreeRoot"], [])
    roles = {e["role"] for e in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= roles, roles
    markdown = files[f"arsrapport-{TODAY.year}.md"].decode("utf-8")
    alts = re.findall(r"^!\[([^\]]+)\]", markdown, flags=re.M)
    figures = [e["alt"] for e in elements if e["role"] == "/Figure"]
    assert len(figures) == len(alts) == 4 and all(figures), figures
    assert [" ".join(a.split()) for a in figures] == [text_of(a) for a in alts]
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"Sida 1 av {len(reader.pages)}" in text
    assert "Rutin | med <script>alert(1)</script>, *stjärnor* och [länk](http://x)" in text


def text_of(markdown_text: str) -> str:
    """Markdown text as a reader sees it: the escapes gone."""
    return " ".join(re.sub(r"\\(.)", r"\1", markdown_text).split())


def test_report_command_writes_the_folder(built_example, database_url, tmp_path) -> None:
    seed(built_example.root, built_example.site, database_url, tmp_path)
    out = tmp_path / "rapport"
    env = {"RUTINPORTAL_ROOT": str(built_example.root)}
    common = ["--database", database_url, "--site-dir", str(built_example.site)]
    result = CliRunner().invoke(main, ["report", "--year", str(TODAY.year), "--out", str(out),
                                       *common], env=env)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"arsrapport-{TODAY.year}.md", f"arsrapport-{TODAY.year}.pdf",
                            f"arsrapport-{TODAY.year}.xlsx",
                            *(f"{c}.{s}" for c in ("beslutstider", "kvittenser-per-kvartal",
                                                   "nis2-per-enhet",
                                                   "grundutbildning-per-enhet")
                              for s in ("png", "svg"))])
    assert result.output.splitlines()[0] == (f"Årsrapporten för {TODAY.year} (siffror per "
                                             f"{TODAY}) är skriven i {out}:")
    for args, message in [
        (["--year", str(TODAY.year + 1), "--out", str(out)],
         f"Fel: --year: förväntade ett år till och med {TODAY.year}, fick {TODAY.year + 1}. "
         "Ingenting har skrivits.\n"),
        (["--year", "2026", "--out", str(out / f"arsrapport-{TODAY.year}.md")],
         f"Fel: --out: '{out / f'arsrapport-{TODAY.year}.md'}' är en fil; förväntade en mapp "
         "(den skapas om den inte finns). Ingenting har skrivits.\n"),
        (["--year", "2026", "--out", str(tmp_path / "saknas" / "rapport")],
         f"Fel: --out: mappen '{tmp_path / 'saknas'}' finns inte; skapa den först eller välj "
         "en annan plats. Ingenting har skrivits.\n"),
    ]:
        wrong = CliRunner().invoke(main, ["report", *args, *common], env=env)
        assert (wrong.exit_code, wrong.output) == (1, message)
    assert sorted(p.name for p in out.iterdir()) == names  # nothing half-written or left
