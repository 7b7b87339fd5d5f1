"""The bad-input corpus: each case yields its own exact Swedish message, exit 1, nothing built."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rutinportal.cli import main

from ..conftest import routine, write

HEAD = "---\nid: RUT-901\ntitle: Testrutin\nowner: Chef\nstatus: draft\naudience: [hemtjanst]\n"


def doc(extra: str = "", head: str = HEAD, body: str = "Text.\n") -> str:
    return head + extra + "version: 1\n---\n\n" + body


CASES = {
    "no front-matter": (
        {"routines/a.md": "## Syfte\n\nIngen front-matter.\n"},
        "routines/a.md:1: front-matter saknas: filen ska börja med en rad '---'"),
    "unterminated front-matter": (
        {"routines/a.md": "---\nid: RUT-901\ntitle: X\n\nText\n"},
        "routines/a.md:1: front-matter saknar avslutande rad '---'"),
    "malformed yaml": (
        {"routines/a.md": "---\nid: RUT-901\ntitle: [oavslutad\n---\n\nText\n"},
        "routines/a.md:3: ogiltig YAML: listan inom [ ] är inte avslutad; avsluta den med ] på "
        "samma rad"),
    "yaml 1.1 boolean title": (
        {"routines/a.md": doc(head=HEAD.replace("title: Testrutin", "title: no"))},
        "routines/a.md:3: title: förväntade text, fick false (YAML läser no/yes/on/off som "
        "sant/falskt; sätt värdet inom citattecken)"),
    "yaml 1.1 date owner": (
        {"routines/a.md": doc(head=HEAD.replace("owner: Chef", "owner: 2026-03-02"))},
        "routines/a.md:4: owner: förväntade text, fick datumet 2026-03-02 (YAML läser datum "
        "utan citattecken som datum; sätt värdet inom citattecken)"),
    "unknown key": (
        {"routines/a.md": doc("ansvarig: Kim\n")},
        "routines/a.md:7: ansvarig: okänd nyckel, förväntade en av id, title, owner"),
    "missing required key": (
        {"routines/a.md": doc(head=HEAD.replace("owner: Chef\n", ""))},
        "routines/a.md:2: owner: saknas, förväntade text"),
    "wrong type version": (
        {"routines/a.md": HEAD + "version: tre\n---\n\nText\n"},
        "routines/a.md:7: version: förväntade ett heltal från och med 1, fick 'tre'"),
    "unknown status": (
        {"routines/a.md": doc(head=HEAD.replace("status: draft", "status: klar"))},
        "routines/a.md:5: status: förväntade en av draft, submitted, approved, retired, "
        "fick 'klar'"),
    "unknown audience": (
        {"routines/a.md": doc(head=HEAD.replace("[hemtjanst]", "[hemtjänsten]"))},
        "routines/a.md:6: audience: förväntade ett målgrupps-id ur organisation.yml, "
        "fick 'hemtjänsten'"),
    "duplicate id": (
        {"routines/a.md": doc(), "routines/b.md": doc()},
        "routines/b.md:2: id: id 'RUT-901' används redan av routines/a.md; "
        "förväntade ett unikt id"),
    "id prefix does not match folder": (
        {"docs/lardomar/a.md": doc()},
        "docs/lardomar/a.md:2: id: förväntade ett id som börjar med LRD- för en lärdom i "
        "docs/lardomar/, fick 'RUT-901'"),
    "malformed id": (
        {"routines/a.md": doc(head=HEAD.replace("RUT-901", "RUT1"))},
        "routines/a.md:2: id: förväntade ett id som RUT-001, UTB-001 eller LRD-001, fick 'RUT1'"),
    "related to nothing": (
        {"routines/a.md": doc("related: [RUT-999]\n")},
        "routines/a.md:7: related: förväntade id för ett befintligt dokument, fick 'RUT-999'"),
    "quiz that does not exist": (
        {"routines/a.md": doc("quiz: finns-inte\n")},
        "routines/a.md:7: quiz: förväntade id för ett kunskapstest i quizzes/, "
        "fick 'finns-inte'"),
    "approval record without snapshot": (
        {"routines/a.md": doc(head=HEAD.replace("status: draft", "status: approved"),
                              extra="approved_by: LG\napproved_on: \"2026-03-02\"\n"
                                    "approved_sha256: " + "a" * 64 + "\n")},
        "routines/a.md:9: approved_sha256: godkännande finns men ingen godkänd version; "
        "förväntade filen approved/RUT-901/v1.md"),
    "approved status without snapshot": (
        {"routines/a.md": doc(head=HEAD.replace("status: draft", "status: approved"))},
        "routines/a.md:5: status: förväntade draft eller submitted: dokumentet har ingen "
        "godkänd version; använd rutinportal submit och rutinportal approve"),
    "bad mandatory": (
        {"routines/a.md": doc("mandatory: ja\n")},
        "routines/a.md:7: mandatory: förväntade true eller false, fick 'ja'"),
    "empty audience": (
        {"routines/a.md": doc(head=HEAD.replace("[hemtjanst]", "[]"))},
        "routines/a.md:6: audience: förväntade en lista med målgrupps-id, fick en lista"),
    "training outside a course": (
        {"docs/utbildning/a.md": doc(head=HEAD.replace("RUT-901", "UTB-901"),
                                     extra="order: 1\nminutes: 5\n")},
        "docs/utbildning/a.md: förväntade att modulen ligger i en kursmapp som finns i "
        "courses.yml (grund, ledning), fick 'docs/utbildning/'"),
    "order on a routine": (
        {"routines/a.md": doc("order: 2\n")},
        "routines/a.md:7: order: används bara för utbildningsmoduler, inte för en rutin"),
    "front-matter not a mapping": (
        {"routines/a.md": "---\n- en\n- lista\n---\n\nText\n"},
        "routines/a.md:2: förväntade en tabell med nycklar, fick en lista"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_exactly(case: str, empty_repo: Path) -> None:
    files, expected = CASES[case]
    for rel, text in files.items():
        write(empty_repo, rel, text)
    site = empty_repo / "out"
    runner = CliRunner()
    checked = runner.invoke(main, ["check"])
    built = runner.invoke(main, ["build", "--site-dir", str(site)])
    for result in (checked, built):
        assert result.exit_code == 1, result.output
        assert expected in result.output, result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not site.exists()
    assert not list(empty_repo.glob(".out.building-*"))


def test_a_colon_in_a_value_is_one_message_with_a_hint_and_no_cascade(
        example_repo: Path) -> None:
    path = example_repo / "routines/siths-kort.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Låna aldrig ut ditt SITHS-kort", "title: Rutin: låna aldrig ut ditt SITHS-kort"),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.output == (
        "Fel: routines/siths-kort.md:3: ogiltig YAML: ett kolon följt av mellanslag inne i ett "
        "värde; sätt citattecken runt värdet: title: \"Rutin: låna aldrig ut ditt SITHS-kort\"\n"
        "1 problem hittades. Rätta dem och försök igen.\n")


@pytest.mark.parametrize("text, expected", [
    ("title: [Rutin\n", ":3: ogiltig YAML: listan inom [ ] är inte avslutad; avsluta den med ] "
     "på samma rad"),
    ('title: "Rutin\n', ":3: ogiltig YAML: ett citattecken är inte avslutat"),
    ("\ttitle: Rutin\n", ":3: ogiltig YAML: tabbtecken får inte användas i YAML; använd "
     "mellanslag för indrag"),
    ("title: @Rutin\n", ':3: ogiltig YAML: tecknet @ kan inte inleda ett värde; sätt '
     'citattecken runt värdet: title: "@Rutin"'),
    ("title Rutin\n", ":3: ogiltig YAML: förväntade 'nyckel: värde' på raden"),
])
def test_yaml_syntax_errors_are_swedish_with_a_hint(empty_repo: Path, text, expected) -> None:
    write(empty_repo, "routines/a.md", "---\nid: RUT-901\n" + text + "owner: Chef\n---\n\nText\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "routines/a.md" + expected in result.output, result.output
    assert "1 problem hittades" in result.output


def test_every_kind_of_problem_appears_in_one_check(example_repo: Path) -> None:
    path = example_repo / "routines/siths-kort.md"
    path.write_text(path.read_text(encoding="utf-8")
                    .replace("related: [LRD-001, RUT-006, RUT-009, RUT-004]", "related: [RUT-777]")
                    .replace("quiz: siths-kort", "quiz: siths-kortet"), encoding="utf-8")
    quiz = example_repo / "quizzes/natfiske.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("- id: chef-presentkort",
                                                             "- id: varningstecken"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    for expected in [
            "quizzes/natfiske.yml:19: questions[2].id: förväntade ett id som är unikt i quizen, "
            "fick 'varningstecken' som också används av questions[1]",
            "routines/siths-kort.md:10: quiz: förväntade id för ett kunskapstest i quizzes/, "
            "fick 'siths-kortet' (menade du siths-kort?)",
            "routines/siths-kort.md:11: related: förväntade id för ett befintligt dokument, "
            "fick 'RUT-777'"]:
        assert expected in result.output, result.output


def test_every_problem_is_reported_at_once(empty_repo: Path) -> None:
    for name, expected in [("a", "title: no"), ("b", "owner: 2026-03-02")]:
        write(empty_repo, f"routines/{name}.md",
              doc(head=HEAD.replace("RUT-901", f"RUT-90{ord(name) - 96}")
                  .replace(expected.split(":")[0] + ": " +
                           {"title": "Testrutin", "owner": "Chef"}[expected.split(":")[0]],
                           expected)))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "routines/a.md:3: title:" in result.output
    assert "routines/b.md:4: owner:" in result.output
    assert "2 problem hittades" in result.output


def test_valid_minimal_repository_passes(empty_repo: Path) -> None:
    routine(empty_repo)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "Inga problem: 1 dokument" in result.output


def test_cli_outside_a_repository_is_a_clean_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RUTINPORTAL_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["status"])
    assert result.exit_code == 1
    assert "Hittar ingen Rutinportal här" in result.output


def test_unknown_key_suggests_the_closest_known_key(empty_repo: Path) -> None:
    write(empty_repo, "routines/a.md", doc("titel: Fel nyckel\n"))
    result = CliRunner().invoke(main, ["check"])
    assert "routines/a.md:7: titel: okänd nyckel (menade du title?), förväntade en av id, " \
        "title, owner" in result.output
