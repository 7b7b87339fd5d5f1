"""The one-time migration `rutinportal snapshots rehash`: snapshots of the first format (hash
over title, audience and body) get the hash over every key and a frozen quiz."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.content.catalogue import Catalogue
from rutinportal.content.hashing import content_sha256

from ..conftest import write

BODY = "## Syfte\n\nText.\n"
QUIZ = """id: test-quiz
title: Test
pass_mark: 0.5
questions:
  - text: Fråga?
    choices:
      - text: Rätt
        correct: true
      - text: Fel
"""


def first_format(root: Path, body: str = BODY) -> tuple[Path, Path]:
    """A routine approved before every key was bound, as the example content was."""
    sha = content_sha256("Testrutin", ["hemtjanst"], BODY)
    head = ("id: RUT-901\ntitle: Testrutin\nowner: Chef\naudience: [hemtjanst]\nversion: 1\n"
            "mandatory: true\nquiz: test-quiz\n")
    working = write(root, "routines/test.md", f"---\n{head}status: approved\n"
                    f"approved_by: LG\napproved_on: \"2026-03-02\"\ndecision: \"LG § 4\"\n"
                    f"approved_sha256: \"{sha}\"\n---\n\n{BODY}")
    snapshot = write(root, "approved/RUT-901/v1.md", f"---\n{head}source: routines/test.md\n"
                     f"approved_by: LG\napproved_on: '2026-03-02'\ndecision: LG § 4\n"
                     f"sha256: {sha}\n---\n\n{body}")
    write(root, "quizzes/test-quiz.yml", QUIZ)
    return working, snapshot


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_without_confirm_it_says_what_it_would_do_and_changes_nothing(empty_repo: Path) -> None:
    working, snapshot = first_format(empty_repo)
    before = working.read_bytes(), snapshot.read_bytes()
    code, out = run("check")
    assert code == 1 and ("approved/RUT-901/v1.md:13: sha256: kontrollsumman är av det "
                          "tidigare slaget") in out
    assert run("snapshots", "rehash") == (0, (
        "Provkörning: 1 godkända versioner får en kontrollsumma över alla nycklar, 1 "
        "kunskapstest fryses i approved/ och 1 arbetskopior får den nya kontrollsumman. "
        "Ingenting har ändrats; kör med --confirm.\n"))
    assert (working.read_bytes(), snapshot.read_bytes()) == before
    assert not (empty_repo / "approved/RUT-901/v1.quiz.yml").exists()


def test_confirm_binds_every_key_freezes_the_quiz_and_check_passes(empty_repo: Path) -> None:
    working, snapshot = first_format(empty_repo)
    code, out = run("snapshots", "rehash", "--confirm")
    assert code == 0 and out.startswith("Klart: 1 godkända versioner"), out
    assert (empty_repo / "approved/RUT-901/v1.quiz.yml").read_text(encoding="utf-8") == QUIZ
    assert run("check")[0] == 0
    catalogue = Catalogue.load(empty_repo)
    latest = catalogue.snapshots["RUT-901"][-1]
    assert latest.sha256 in working.read_text(encoding="utf-8")
    assert latest.quiz.id == "test-quiz" and latest.body == BODY
    assert run("snapshots", "rehash") == (0, "Inget att göra: alla 1 godkända versioner "
                                             "binder redan alla nycklar.\n")
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("mandatory: true",
                                                                     "mandatory: false"))
    code, out = run("check")
    assert code == 1 and "approved/RUT-901/v1.md:7: mandatory: värdet har ändrats" in out


def test_it_refuses_to_bless_a_snapshot_whose_hash_is_already_wrong(empty_repo: Path) -> None:
    working, snapshot = first_format(empty_repo, body=BODY.replace("Text.", "Ändrad text."))
    before = working.read_bytes(), snapshot.read_bytes()
    code, out = run("snapshots", "rehash", "--confirm")
    assert code == 1
    assert out == (
        "Fel: approved/RUT-901/v1.md:13: sha256: texten stämmer inte med den godkända "
        "kontrollsumman; återställ filen (git checkout) innan migreringen\n"
        "Migreringen körs inte när en godkänd version inte stämmer med sin kontrollsumma. "
        "Ingenting har ändrats.\n")
    assert (working.read_bytes(), snapshot.read_bytes()) == before
    assert not (empty_repo / "approved/RUT-901/v1.quiz.yml").exists()


def test_the_example_content_is_migrated(example_repo: Path) -> None:
    code, out = run("snapshots", "rehash")
    assert code == 0 and out.startswith("Inget att göra"), out
