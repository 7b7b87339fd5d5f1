"""Decisions as they happen: named bodies, the meeting's date, return for changes, retire and
reinstate with a decision, and links that never leave the site unbuildable."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.content.catalogue import Catalogue
from rutinportal.site.build import build_site

from ..conftest import routine, write

BODIES = ("lg-us (Ledningsgruppen Utveckling och stöd); sektorsledningen (Sektorsledningen "
          "Välfärd); styrgruppen-it (Styrgruppen för strategiska och operativa IT-frågor)")


def run(*args: str, today: str = "2026-03-02", stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"RUTINPORTAL_TODAY": today},
                                input=stdin)
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def meta(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def approved(root: Path, slug: str, doc_id: str, body: str = "Text för testet.") -> Path:
    path = routine(root, slug, doc_id, title=f"Rutin {doc_id}", body=body)
    assert run("submit", doc_id)[0] == 0
    code, out = run("approve", doc_id, "--by", "lg-us", "--decision", "LG § 1")
    assert code == 0, out
    return path


# -- decision bodies ----------------------------------------------------------------------

def test_approve_names_a_known_body_by_id_or_name(empty_repo: Path) -> None:
    path = routine(empty_repo)
    run("submit", "RUT-901")
    code, out = run("approve", "RUT-901", "--by", "Ledningsgrupp", "--decision", "§ 4")
    assert code == 1
    assert out == (f"Fel: --by: förväntade ett beslutande organ ur organisation.yml, id eller "
                   f"namn: {BODIES}; fick 'Ledningsgrupp'. Ingenting har ändrats.\n")
    assert not (empty_repo / "approved").exists()
    code, out = run("approve", "RUT-901", "--by", "sektorsledningen välfärd", "--decision", "§ 4")
    assert code == 0, out
    assert meta(path)["approved_by"] == "Sektorsledningen Välfärd"


def test_decided_by_must_be_a_known_body_and_binds_approve(empty_repo: Path) -> None:
    path = routine(empty_repo)
    path.write_text(path.read_text().replace("version: 1", "version: 1\ndecided_by: namnden"))
    code, out = run("check")
    assert code == 1
    assert ("routines/test-rutin.md:8: decided_by: förväntade id för ett beslutande organ i "
            "organisation.yml (lg-us, sektorsledningen, styrgruppen-it), fick 'namnden'") in out
    path.write_text(path.read_text().replace("namnden", "styrgruppen-it"))
    run("submit", "RUT-901")
    code, out = run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 4")
    assert code == 1 and ("routines/test-rutin.md: decided_by: RUT-901 beslutas av "
                          "styrgruppen-it, inte av lg-us") in out
    assert run("approve", "RUT-901", "--by", "styrgruppen-it", "--decision", "SG IT § 2")[0] == 0


def test_unknown_roles_and_default_body_in_organisation_are_reported(empty_repo: Path) -> None:
    org = empty_repo / "organisation.yml"
    org.write_text(org.read_text(encoding="utf-8").replace("decided_by: lg-us", "decided_by: lg")
                   .replace("members: [sektorsledning]\n", "members: [ledning]\n"),
                   encoding="utf-8")
    code, out = run("check")
    assert code == 1
    assert "organisation.yml:" in out and "defaults.decided_by: förväntade id för ett organ " \
        "i decision_bodies (lg-us, sektorsledningen, styrgruppen-it), fick 'lg'" in out
    assert "decision_bodies.1.members: förväntade roll-id ur roles, fick 'ledning'" in out


# -- the meeting's date -----------------------------------------------------------------

def test_approve_records_the_meetings_date_and_refuses_the_future(empty_repo: Path) -> None:
    path = routine(empty_repo)
    run("submit", "RUT-901", today="2026-11-20")
    code, out = run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 5",
                    "--date", "2026-12-01", today="2026-12-03")
    assert code == 0, out
    assert meta(path)["approved_on"] == "2026-12-01"
    assert meta(empty_repo / "approved/RUT-901/v1.md")["approved_on"] == "2026-12-01"
    run("revise", "RUT-901")
    path.write_text(path.read_text().replace("version: 2", "version: 2\nchange_note: Ny text."))
    run("submit", "RUT-901", today="2026-12-03")
    code, out = run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 6",
                    "--date", "2026-12-04", today="2026-12-03")
    assert code == 1
    assert out == ("Fel: --date: förväntade beslutsdatumet (mötets dag), senast i dag "
                   "2026-12-03, fick 2026-12-04. Ingenting har ändrats.\n")
    code, out = run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 6",
                    "--date", "30/11")
    assert code == 1 and "förväntade ett datum ÅÅÅÅ-MM-DD, fick '30/11'" in out


# -- return for changes (återremiss) ------------------------------------------------------

def test_return_for_changes_keeps_the_history_and_restarts_the_wait(empty_repo: Path) -> None:
    path = routine(empty_repo)
    run("submit", "RUT-901", today="2026-01-10")
    code, out = run("return", "RUT-901", "--comment", "Förtydliga vem som ansvarar.",
                    "--decision", "LG U&S 2026-02-02 § 3", today="2026-02-02")
    assert (code, out) == (0, "RUT-901 återremitterad och är ett utkast igen: "
                              "routines/test-rutin.md\n")
    recorded = meta(path)
    assert recorded["status"] == "draft" and "submitted_on" not in recorded
    assert recorded["returns"] == [{"date": "2026-02-02", "by": "Ledningsgruppen Utveckling och "
                                    "stöd", "version": 1, "comment": "Förtydliga vem som "
                                    "ansvarar.", "decision": "LG U&S 2026-02-02 § 3",
                                    "submitted_on": "2026-01-10"}]
    assert run("check")[0] == 0
    run("submit", "RUT-901", today="2026-02-20")
    run("return", "RUT-901", "--comment", "Lägg till ett exempel.", "--by", "sektorsledningen",
        today="2026-03-01")
    run("submit", "RUT-901", today="2026-03-10")
    code, out = run("status", today="2026-03-12")
    assert "    RUT-901 v1: 2 dagar, omgång 3 – Testrutin" in out  # the wait restarted
    assert ("Återremisser:\n"
            "  RUT-901 v1 2026-02-02 Ledningsgruppen Utveckling och stöd (LG U&S 2026-02-02 § 3): "
            "Förtydliga vem som ansvarar.\n"
            "  RUT-901 v1 2026-03-01 Sektorsledningen Välfärd: Lägg till ett exempel.\n") in out
    assert [r.comment for r in Catalogue.load(empty_repo).documents["RUT-901"].returns] == [
        "Förtydliga vem som ansvarar.", "Lägg till ett exempel."]


def test_only_a_submitted_document_can_be_returned(empty_repo: Path) -> None:
    routine(empty_repo)
    code, out = run("return", "RUT-901", "--comment", "x")
    assert code == 1 and ("status är draft (utkast); bara ett dokument som skickats för beslut "
                          "(submitted) kan återremitteras") in out


# -- links never block a later build ---------------------------------------------------------

LINK = "Se [den andra rutinen](b.md#syfte) innan du börjar."


def test_submit_and_approve_refuse_links_to_unpublished_documents(empty_repo: Path) -> None:
    routine(empty_repo, "a", "RUT-901", body=f"Första stycket.\n\n{LINK}")
    routine(empty_repo, "b", "RUT-902")
    code, out = run("submit", "RUT-901")
    assert code == 1
    assert out == ("Fel: routines/a.md:15: länken till b.md#syfte leder till RUT-902 (utkast) "
                   "som inte är publicerat; förväntade en länk till ett godkänt dokument, eller "
                   "skicka det länkade dokumentet för beslut samtidigt\nIngenting har ändrats.\n")
    assert run("submit", "RUT-901", "RUT-902")[0] == 0
    code, out = run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 1")
    assert code == 1 and out.startswith(
        "Fel: routines/a.md:16: länken till b.md#syfte leder till RUT-902 (väntar på beslut) som "
        "inte är publicerat; förväntade en länk till ett godkänt dokument, eller godkänn det "
        "länkade dokumentet i samma beslut")
    assert not (empty_repo / "approved").exists()
    assert run("approve", "RUT-901", "RUT-902", "--by", "lg-us", "--decision", "§ 1")[0] == 0


def test_retiring_a_linked_document_lists_the_links_asks_and_the_site_builds(
        empty_repo: Path) -> None:
    (empty_repo / "docs/index.md").write_text("# Start\n", encoding="utf-8")
    approved(empty_repo, "b", "RUT-902")
    approved(empty_repo, "a", "RUT-901", body=f"Första stycket.\n\n{LINK}")
    code, out = run("retire", "RUT-902", "--decision", "LG § 9", stdin="nej\n")
    assert code == 1
    assert ("Publicerade dokument som länkar till RUT-902:\n  RUT-901 (approved/RUT-901/v1.md:"
            in out)
    assert "Upphäva RUT-902? (ja/nej): nej\nFel: Avbrutet. Ingenting har ändrats." in out
    assert meta(empty_repo / "routines/b.md")["status"] == "approved"
    code, out = run("retire", "RUT-902", "--decision", "LG § 9", "--date", "2026-03-01",
                    stdin="ja\n")
    assert code == 0 and out.endswith("RUT-902 upphävd (LG § 9): routines/b.md\n"), out
    retired = meta(empty_repo / "routines/b.md")
    assert (retired["retired_on"], retired["retired_by"], retired["retired_decision"]) == (
        "2026-03-01", "Ledningsgruppen Utveckling och stöd", "LG § 9")
    code, out = run("check")
    assert code == 0, out
    assert "länken till b.md#syfte leder till RUT-902 som har upphävts; på webbplatsen visas " \
        "länktexten utan länk med noten *Dokumentet har upphävts*" in out
    site = build_site(empty_repo, empty_repo / "out")
    page = (site / "rutiner/a/index.html").read_text(encoding="utf-8")
    assert "den andra rutinen (<em>Dokumentet har upphävts</em>)" in page
    assert not (site / "rutiner/b").exists()


def test_retire_refuses_while_a_hand_written_page_links_to_the_document(
        empty_repo: Path) -> None:
    approved(empty_repo, "b", "RUT-902")
    index = empty_repo / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nLäs [rutinen](rutiner/b.md).\n",
                     encoding="utf-8")
    line = index.read_text(encoding="utf-8").splitlines().index("Läs [rutinen](rutiner/b.md).")
    code, out = run("retire", "RUT-902", "--decision", "§ 9", "--yes")
    assert code == 1
    assert (f"docs/index.md:{line + 1}: länken till rutiner/b.md leder till RUT-902, som ska "
            "upphävas; ta bort eller ändra länken på sidan först") in out


def test_reinstate_brings_a_retired_document_back_as_a_new_version(empty_repo: Path) -> None:
    path = approved(empty_repo, "b", "RUT-902")
    run("retire", "RUT-902", "--decision", "§ 9", "--yes")
    code, out = run("reinstate", "RUT-902", "--decision", "LG § 12", today="2026-05-01")
    assert (code, out) == (0, "RUT-902 återinförd (LG § 12): routines/b.md\n")
    recorded = meta(path)
    assert recorded["status"] == "approved" and recorded["version"] == 2
    assert recorded["change_note"] == "Återinförd oförändrad genom beslut LG § 12."
    assert "retired_on" not in recorded
    catalogue = Catalogue.load(empty_repo)
    assert not catalogue.problems and not catalogue.warnings
    published = {p.id: p for p in catalogue.publications()}["RUT-902"]
    assert published.version == 2 and published.acknowledge_from == 1  # same text
    run("retire", "RUT-902", "--decision", "§ 13", "--yes")
    path.write_text(path.read_text().replace("Text för testet.", "Ny text."))
    code, out = run("reinstate", "RUT-902", "--by", "lg-us", "--decision", "§ 14")
    assert code == 1 and ("body har ändrats sedan version 2; ett återinförande gäller den "
                          "godkända texten – kör rutinportal revise RUT-902") in out
    assert run("revise", "RUT-902")[0] == 0
    assert meta(path)["status"] == "draft" and meta(path)["version"] == 3


# -- ready to submit -------------------------------------------------------------------------

def test_submit_refuses_the_untouched_template_and_check_warns_on_the_draft(
        empty_repo: Path) -> None:
    run("new", "routine", "Skydda skärmen")
    code, out = run("check")
    assert code == 0 and "Varning: routines/skydda-skarmen.md:4: owner: förväntade " \
        "informationsägaren som roll" in out
    code, out = run("submit", "RUT-001")
    assert code == 1
    assert out.splitlines()[:5] == [
        "Fel: routines/skydda-skarmen.md:4: owner: förväntade informationsägaren som roll, "
        "t.ex. \"Verksamhetschef hemtjänst\", fick mallens text",
        "routines/skydda-skarmen.md:11: avsnittet 'Syfte' är tomt; skriv texten eller ta bort "
        "rubriken",
        "routines/skydda-skarmen.md:13: avsnittet 'Gäller för' är tomt; skriv texten eller ta "
        "bort rubriken",
        "routines/skydda-skarmen.md:15: avsnittet 'Så här gör du' är tomt; skriv texten eller "
        "ta bort rubriken",
        "routines/skydda-skarmen.md:17: punkten i listan är tom; skriv den eller ta bort den"]


@pytest.mark.parametrize("change, expected", [
    (("## Syfte", "# Skydda kortet\n\n## Syfte"),
     "routines/test-rutin.md:11: rubriken '# Skydda kortet' används inte: titeln visas från "
     "title; skriv avsnittens rubriker med ## och ta bort rubriken på nivå 1"),
    (("mandatory: true", "mandatory: true\ntags: SITHS, Behörighet"),
     "routines/test-rutin.md:9: tags: förväntade en lista med ämnesord, fick texten 'SITHS, "
     "Behörighet'; skriv tags: [SITHS, Behörighet]"),
    (("version: 1", "version: 2"),
     "routines/test-rutin.md:7: change_note: saknas, förväntade en eller två meningar om vad "
     "som har ändrats och varför (krävs från version 2; visas för beslutsfattarna och "
     "medarbetarna)"),
])
def test_submit_refuses_and_check_refuses_a_submitted_document(empty_repo: Path, change,
                                                               expected) -> None:
    path = routine(empty_repo)
    path.write_text(path.read_text().replace(*change))
    code, out = run("submit", "RUT-901")
    assert code == 1 and expected in out, out
    path.write_text(path.read_text().replace("status: draft", "status: submitted"))
    code, out = run("check")
    assert code == 1 and expected in out, out


def test_a_module_quiz_needs_five_questions_at_submit(empty_repo: Path) -> None:
    question = ("  - text: Fråga {n}?\n    choices:\n      - text: Ja {n}\n        correct: true\n"
                "      - text: Nej {n}\n")
    write(empty_repo, "quizzes/modul.yml", "id: modul\ntitle: Test\npass_mark: 0.8\n"
          "questions:\n" + "".join(question.format(n=n) for n in range(3)))
    write(empty_repo, "docs/utbildning/grund/modul.md", (
        "---\nid: UTB-901\ntitle: Modul\nowner: Samordnare\nstatus: draft\naudience: [alla]\n"
        "version: 1\norder: 1\nminutes: 5\nquiz: modul\n---\n\n## Innehåll\n\nText.\n"))
    code, out = run("submit", "UTB-901")
    assert code == 1 and ("docs/utbildning/grund/modul.md:10: quiz: en utbildningsmoduls "
                          "kunskapstest behöver minst 5 frågor för att mäta något, fick 3 i "
                          "quizzes/modul.yml") in out
