"""The lifecycle through the CLI: legal transitions, refused ones, and what approval writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from rutinportal.content.catalogue import Catalogue
from rutinportal.cli import main

from ..conftest import routine


def run(*args: str, today: str = "2026-03-02") -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"RUTINPORTAL_TODAY": today})
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def meta(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_submit_approve_revise_retire(empty_repo: Path) -> None:
    path = routine(empty_repo)
    assert run("submit", "RUT-901", today="2026-01-10") == (
        0, "RUT-901 skickad för beslut: routines/test-rutin.md\n")
    assert meta(path)["submitted_on"] == "2026-01-10"
    code, out = run("approve", "RUT-901", "--by", "Ledningsgruppen Utveckling och stöd",
                    "--decision", "LG U&S 2026-03-02 § 4")
    assert code == 0, out
    recorded = meta(path)
    assert recorded["status"] == "approved"
    assert recorded["approved_by"] == "Ledningsgruppen Utveckling och stöd"
    assert recorded["approved_on"] == "2026-03-02"
    assert recorded["decision"] == "LG U&S 2026-03-02 § 4"
    snapshot = empty_repo / "approved/RUT-901/v1.md"
    frozen = meta(snapshot)
    assert frozen["sha256"] == recorded["approved_sha256"]
    assert snapshot.read_text(encoding="utf-8").endswith("## Syfte\n\nText för testet.\n")
    assert frozen["source"] == "routines/test-rutin.md"

    assert run("revise", "RUT-901")[0] == 0
    revised = meta(path)
    assert revised["status"] == "draft" and revised["version"] == 2
    # The next version carries nothing of the previous version's decision.
    for key in ("submitted_on", "approved_by", "approved_on", "decision"):
        assert key not in revised, key
    assert revised["approved_sha256"] == frozen["sha256"]  # which version it builds on
    assert snapshot.exists()  # the approved version stays published meanwhile
    assert run("retire", "RUT-901", "--decision", "LG U&S 2026-04-01 § 2", "--yes")[0] == 0
    assert meta(path)["status"] == "retired"
    assert meta(path)["retired_decision"] == "LG U&S 2026-04-01 § 2"


@pytest.mark.parametrize("steps, command, message", [
    ([], ["approve", "RUT-901", "--by", "lg-us", "--decision", "§ 1"],
     "routines/test-rutin.md: status är draft (utkast); bara ett dokument som skickats för "
     "beslut (submitted) kan godkännas; kör först rutinportal submit\nIngenting har ändrats."),
    ([["submit", "RUT-901"]], ["submit", "RUT-901"],
     "routines/test-rutin.md: status är submitted (väntar på beslut); bara ett utkast "
     "(draft) kan skickas för beslut"),
    ([], ["revise", "RUT-901"],
     "routines/test-rutin.md: status är draft (utkast); bara ett godkänt (approved) eller "
     "upphävt (retired) dokument kan revideras"),
    ([["retire", "RUT-901", "--decision", "§ 1", "--yes"]],
     ["retire", "RUT-901", "--decision", "§ 1", "--yes"],
     "routines/test-rutin.md: status är retired (upphävd); dokumentet är redan upphävt"),
    ([], ["submit", "RUT-999"],
     "RUT-999: dokumentet finns inte; förväntade ett id som rutinportal status visar"),
])
def test_illegal_transitions_are_refused_with_a_clear_message(
        empty_repo: Path, steps, command, message) -> None:
    path = routine(empty_repo)
    for step in steps:
        assert run(*step)[0] == 0
    before = path.read_bytes()
    code, out = run(*command)
    assert code == 1
    assert message in out
    assert path.read_bytes() == before


def test_one_decision_approves_several_documents_or_none(empty_repo: Path) -> None:
    first = routine(empty_repo, "a", "RUT-901")
    routine(empty_repo, "b", "RUT-902")
    routine(empty_repo, "c", "RUT-903")
    assert run("submit", "RUT-901", "RUT-902")[0] == 0
    before = first.read_bytes()
    code, out = run("approve", "RUT-901", "RUT-903", "--by", "lg-us", "--decision", "§ 4")
    assert code == 1 and "routines/c.md: status är draft" in out
    assert first.read_bytes() == before
    assert not (empty_repo / "approved").exists()
    code, out = run("approve", "RUT-901", "RUT-902", "--by", "lg-us", "--decision", "§ 4")
    assert code == 0, out
    assert out.splitlines() == ["RUT-901 godkänd (§ 4): routines/a.md",
                                "RUT-902 godkänd (§ 4): routines/b.md"]
    assert (empty_repo / "approved/RUT-902/v1.md").exists()


def test_approval_keeps_the_authors_text_comments_and_line_endings(empty_repo: Path) -> None:
    path = routine(empty_repo)
    text = path.read_text().replace("mandatory: true", "mandatory: true  # beslut 2025")
    path.write_bytes(text.replace("\n", "\r\n").encode())
    run("submit", "RUT-901")
    run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 4")
    out = path.read_bytes().decode()
    assert "mandatory: true  # beslut 2025\r\n" in out
    assert out.endswith("## Syfte\r\n\r\nText för testet.\r\n")
    assert "\n" not in out.replace("\r\n", "")


def test_a_document_with_problems_cannot_change_state(empty_repo: Path) -> None:
    path = routine(empty_repo)
    path.write_text(path.read_text().replace("[hemtjanst]", "[okand]"))
    code, out = run("submit", "RUT-901")
    assert code == 1
    assert "routines/test-rutin.md: rätta först felen i filen (kör rutinportal check)" in out


def test_approve_requires_who_and_which_decision(empty_repo: Path) -> None:
    routine(empty_repo)
    run("submit", "RUT-901")
    code, out = run("approve", "RUT-901", "--by", " ", "--decision", "§ 4")
    assert code == 1 and "--by och --decision måste anges" in out


def test_new_creates_a_valid_draft_with_the_next_id(empty_repo: Path) -> None:
    routine(empty_repo, "a", "RUT-007")
    code, out = run("new", "routine", "Skydda skärmen på offentliga platser")
    assert code == 0
    assert out == "Skapade routines/skydda-skarmen-pa-offentliga-platser.md\n"
    created = meta(empty_repo / "routines/skydda-skarmen-pa-offentliga-platser.md")
    assert created["id"] == "RUT-008" and created["status"] == "draft"
    code, out = run("new", "training", "Ny modul", "--course", "grund")
    assert code == 0 and "docs/utbildning/grund/ny-modul.md" in out
    assert run("check")[0] == 0
    code, out = run("new", "routine", "Skydda skärmen på offentliga platser")
    assert code == 1 and "finns redan" in out
    code, out = run("new", "training", "Utan kurs")
    assert code == 1 and "Ange kursen med --course, en av: ledning, grund" in out
    code, out = run("new", "training", "Ledarskap och incidenter", "--course", "ledning")
    assert code == 0, out
    module = meta(empty_repo / "docs/utbildning/ledning/ledarskap-och-incidenter.md")
    assert module["audience"] == ["chefer", "sektorsledning"]  # the course's, not alla


def test_status_shows_waiting_days_and_overdue_reviews(empty_repo: Path) -> None:
    routine(empty_repo, "a", "RUT-901", title="Väntar")
    routine(empty_repo, "b", "RUT-902", title="Gammal")
    run("submit", "RUT-901", today="2026-01-01")
    run("submit", "RUT-902", today="2024-01-01")
    run("approve", "RUT-902", "--by", "lg-us", "--decision", "§ 1", today="2024-02-01")
    code, out = run("status", today="2026-03-02")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("RUT-")}
    assert "Väntar på beslut" in lines["RUT-901"] and "60 dagar" in lines["RUT-901"]
    assert "2025-02-01 FÖRSENAD" in lines["RUT-902"]
    assert "Väntar på beslut, per organ:\n  Ledningsgruppen Utveckling och stöd:\n" \
        "    RUT-901 v1: 60 dagar – Väntar\n" in out
    assert "2 dokument, 1 väntar på beslut (längst 60 dagar), 1 med försenad översyn." in out


def test_catalogue_warns_when_an_approved_text_is_edited_without_revise(empty_repo) -> None:
    path = routine(empty_repo)
    run("submit", "RUT-901")
    run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 4")
    path.write_text(path.read_text().replace("Text för testet.", "Ändrad text."))
    catalogue = Catalogue.load(empty_repo)
    assert not catalogue.problems
    assert [str(w) for w in catalogue.warnings] == [
        "routines/test-rutin.md:5: status: texten har ändrats sedan version 1 godkändes; "
        "ändringen publiceras inte – kör rutinportal revise RUT-901 och skicka den nya "
        "versionen för beslut"]
    code, out = run("check")
    assert code == 0 and "Varning: routines/test-rutin.md:5: status:" in out
