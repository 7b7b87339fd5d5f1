"""`rutinportal decision-pack`: on the example content, with and without a roster, and every
way to get it wrong, each with its Swedish message and nothing written."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from rutinportal.cli import main

from ..approval.decisions.conftest import weasyprint_or_skip
from ..portal.support import import_demo_roster

TODAY = "2026-11-28"
LG = "Ledningsgruppen Utveckling och stöd"
BODIES = ("lg-us (Ledningsgruppen Utveckling och stöd); sektorsledningen (Sektorsledningen "
          "Välfärd); styrgruppen-it (Styrgruppen för strategiska och operativa IT-frågor)")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where the packs are written (tmp_path also holds the repository)."""
    path = tmp_path / "ut"
    path.mkdir()
    return path


def run(*args: str, database: str | None = None):
    env = {"RUTINPORTAL_TODAY": TODAY, "RUTINPORTAL_DATABASE": database}
    result = CliRunner().invoke(main, ["decision-pack", *args], env=env)
    assert "Traceback" not in result.output, result.output
    return result


def test_the_default_pack_on_the_example_content(example_repo: Path, folder: Path) -> None:
    """A fresh clone: no database, the leadership group's pack with a revised and a new
    routine, as a PDF it can decide from."""
    weasyprint_or_skip()
    out = folder / "pack.pdf"
    result = run("--out", str(out))
    assert result.exit_code == 0, result.output
    pages = len(pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert result.stdout == (f"Beslutsunderlag för {LG}: 2 dokument (RUT-004, RUT-011), "
                             f"{pages} sidor. Skrivet till {out}\n")
    assert result.stderr == (
        f"Varning: Databasen {example_repo / 'var/rutinportal.sqlite3'} finns inte: importera "
        "personallistan med rutinportal roster import. Antalet som ska kvittera visas som okänt "
        "i underlaget.\n")
    assert not (example_repo / "var").exists()  # the roster is only read, never created
    text = " ".join(" ".join(p.extract_text().split())
                    for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert f"{LG} · 2026-11-28" in text and f"Sida {pages} av {pages}" in text
    assert f"{LG} beslutar att godkänna RUT-004 version 2, rutinen ”Stäng journalen när du " \
        "lämnar den”." in text
    assert ("RUT-004 Stäng journalen när du lämnar den Medicinskt ansvarig sjuksköterska (MAS) "
            "2 33 Ja okänt (ingen personallista)") in text
    assert ("Använder du en mobil enhet för journalen? (Exempel.) Stäng journalen innan du "
            "lämnar kundens hem, och lås skärmen när du lägger ifrån dig enheten.") in text
    assert "RUT-011 Ändra och ta bort planerade besök i planeringssystemet, version 1" in text
    assert [p.name for p in folder.iterdir()] == ["pack.pdf"]  # no temporary file left


def test_with_a_roster_the_pack_counts_who_must_acknowledge(example_repo: Path,
                                                             tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    import_demo_roster(example_repo, url)
    out = tmp_path / "pack.html"
    result = run("--out", str(out), database=url)
    assert result.exit_code == 0 and result.stderr == ""
    html = out.read_text(encoding="utf-8")
    # demo/personal.csv: 17 active people in hälso- och sjukvård or vård- och omsorgsboende
    assert ('<tr><th scope="row"><a href="#RUT-004">RUT-004</a></th><td>Stäng journalen när '
            'du lämnar den</td><td>Medicinskt ansvarig sjuksköterska (MAS)</td><td>2</td>'
            '<td>33</td><td>Ja</td><td>17 personer</td></tr>') in html


def test_named_documents_and_another_body(example_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "styrgruppen.html"
    result = run("RUT-008", "--out", str(out), database="sqlite:///" + str(tmp_path / "x"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Beslutsunderlag för Styrgruppen för strategiska och operativa "
                             f"IT-frågor: 1 dokument (RUT-008). Skrivet till {out}\n")
    html = out.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "Styrgruppen för strategiska och operativa IT-frågor beslutar att godkänna RUT-008 " \
        "version 1, rutinen ”Säkerhetskontroll innan vi köper ett IT-system”." in html
    assert run("--body", "styrgruppen-it", "--out", str(out)).exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--body", "ledningen"],
     f"Fel: --body: förväntade ett beslutande organ ur organisation.yml, id eller namn: "
     f"{BODIES}; fick 'ledningen'\n"),
    (["--body", "sektorsledningen"],
     "Fel: Inget dokument väntar på beslut av Sektorsledningen Välfärd (sektorsledningen). "
     "Inget beslutsunderlag har skrivits. (rutinportal status visar vad som väntar, per "
     "organ.)\n"),
    (["RUT-001", "RUT-011", "RUT-404"],
     "Fel: routines/siths-kort.md: status är approved (godkänd); bara ett dokument som "
     "skickats för beslut (submitted) kan tas med i ett beslutsunderlag (rutinportal submit)\n"
     "RUT-404: dokumentet finns inte; förväntade ett id som rutinportal status visar\n"
     "Inget beslutsunderlag har skrivits.\n"),
    (["RUT-012"],
     "Fel: routines/fax-och-papperskopior.md: status är retired (upphävd); bara ett dokument "
     "som skickats för beslut (submitted) kan tas med i ett beslutsunderlag (rutinportal "
     "submit)\nInget beslutsunderlag har skrivits.\n"),
    (["RUT-011", "RUT-008"],
     "Fel: routines/sakerhetskontroll-it-inkop.md: decided_by: RUT-008 beslutas av "
     "styrgruppen-it, inte av lg-us; ett beslutsunderlag gäller ett organ\n"
     "Inget beslutsunderlag har skrivits.\n"),
    (["RUT-008", "--body", "lg-us"],
     "Fel: routines/sakerhetskontroll-it-inkop.md: decided_by: RUT-008 beslutas av "
     "styrgruppen-it, inte av lg-us; ett beslutsunderlag gäller ett organ\n"
     "Inget beslutsunderlag har skrivits.\n"),
])
def test_wrong_body_or_documents(example_repo: Path, folder: Path, args: list[str],
                                 message: str) -> None:
    out = folder / "pack.html"
    out.write_text("förra underlaget", encoding="utf-8")
    result = run(*args, "--out", str(out))
    assert (result.exit_code, result.output) == (1, message)
    assert out.read_text(encoding="utf-8") == "förra underlaget"  # untouched
    assert [p.name for p in folder.iterdir()] == ["pack.html"]


def test_wrong_output(example_repo: Path, folder: Path) -> None:
    tmp_path = folder
    (tmp_path / "mapp.pdf").mkdir()
    cases = {
        str(tmp_path / "pack.docx"): "Fel: --out: förväntade en fil som slutar på .pdf eller "
                                     f".html, fick '{tmp_path / 'pack.docx'}'\n",
        str(tmp_path / "finns-inte" / "pack.pdf"): f"Fel: --out: mappen '{tmp_path / 'finns-inte'}'"
                                                   " finns inte; skapa den först eller välj en "
                                                   "annan plats\n",
        str(tmp_path / "mapp.pdf"): f"Fel: --out: '{tmp_path / 'mapp.pdf'}' är en mapp; "
                                    "förväntade en fil som slutar på .pdf\n",
    }
    for out, message in cases.items():
        result = run("--out", out)
        assert (result.exit_code, result.output) == (1, message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mapp.pdf"]
    result = run()
    assert (result.exit_code, result.output) == (
        1, "Användning: main decision-pack [FLAGGOR] [ID...]\nSkriv 'main decision-pack --help' "
           "för hjälp.\n\nFel: Flagga saknas '--out'.\n")


def test_the_help_is_swedish() -> None:
    result = CliRunner().invoke(main, ["decision-pack", "--help"])
    assert result.exit_code == 0
    assert "Skriv ett beslutsunderlag: dokumenten som väntar på beslut" in result.output
    assert "--out FIL.pdf|FIL.html" in result.output
