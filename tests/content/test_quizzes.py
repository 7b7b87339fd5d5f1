"""Quizzes: loading with every problem reported as `path:line: key: message`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from rutinportal.content.problems import display_path
from rutinportal.content.checks import check_references
from rutinportal.content.quizzes import (Quiz, QuizSchema, choice_id,
                                         human_key, load_quiz, load_quizzes)

from ..quizhelpers import BAD, FIXTURES, GOOD, load


@pytest.fixture(scope="module")
def siths() -> Quiz:
    return load(GOOD / "siths-kort.yml")


# -- loading a valid quiz ------------------------------------------------------------------------

def test_valid_quiz_is_loaded_with_defaults(siths):
    assert (siths.id, siths.title, siths.version, siths.pass_mark, siths.path) == (
        "siths-kort", "Kunskapstest: SITHS-kortet", 2, 0.8, "quizzes_good/siths-kort.yml")
    assert [q.id for q in siths.questions] == ["lana-ut", "lamna-datorn", "q3"]
    assert [q.multiple for q in siths.questions] == [False, True, False]
    # `correct: yes` and `correct: no` are YAML 1.1 booleans, so they are fine.
    assert [c.correct for c in siths.questions[0].choices] == [False, True, False]
    assert siths.questions[2].explanation is None
    assert siths.questions[0].explanation.startswith("Kortet är din personliga")


def test_version_defaults_to_1_and_pass_mark_is_a_float():
    quiz = load(GOOD / "losenord.yml")
    assert quiz.version == 1
    assert quiz.pass_mark == 1.0 and isinstance(quiz.pass_mark, float)


def test_choice_ids_are_opaque_hashes_of_quiz_question_and_text(siths):
    choice = siths.questions[0].choices[1]
    expected = hashlib.sha256(f"siths-kort/lana-ut/{choice.text}".encode()).hexdigest()[:10]
    assert choice.id == expected
    assert all(re.fullmatch(r"[0-9a-f]{10}", c.id) for q in siths.questions for c in q.choices)


def test_choice_ids_do_not_depend_on_position_or_correctness(tmp_path):
    head = "id: flytt\ntitle: T\npass_mark: 0.5\nquestions:\n  - text: F?\n    choices:\n"
    first = tmp_path / "a" / "flytt.yml"
    second = tmp_path / "b" / "flytt.yml"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(head + "      - text: Ja\n        correct: true\n      - text: Nej\n",
                     encoding="utf-8")
    second.write_text(head + "      - text: Nej\n        correct: true\n      - text: Ja\n",
                      encoding="utf-8")
    a = {c.text: c.id for c in load(first).questions[0].choices}
    b = {c.text: c.id for c in load(second).questions[0].choices}
    assert a == b


def test_texts_are_kept_on_one_line(tmp_path):
    path = tmp_path / "rader.yml"
    path.write_text("id: rader\ntitle: T\npass_mark: 0.5\nquestions:\n  - text: |\n"
                    "      Första raden.\n\n      Andra raden.\n    choices:\n"
                    "      - text: Ja\n        correct: true\n      - text: Nej\n",
                    encoding="utf-8")
    assert load(path).questions[0].text == "Första raden. Andra raden."


def test_every_schema_key_is_documented():
    assert all(doc for _, doc, _ in QuizSchema.documentation())


def test_human_key_counts_from_one():
    assert human_key(("questions", 2, "choices", 0, "correct")) == \
        "questions[3].choices[1].correct"


# -- the corpus of bad files: each problem pinned as `path:line: key: message` ---------------------

BAD_CASES = {
    "yaml-syntax": [
        "quizzes_bad/yaml-syntax.yml:2: ogiltig YAML: ett kolon följt av mellanslag inne i ett "
        "värde; sätt citattecken runt värdet: title: \"Kunskapstest: kolon utan citattecken\""],
    "not-a-mapping": [
        "quizzes_bad/not-a-mapping.yml:1: förväntade en tabell med nycklar, fick en lista"],
    "empty-file": [
        "quizzes_bad/empty-file.yml: förväntade en tabell med nycklarna id, title, pass_mark "
        "och questions, fick en tom fil"],
    "unknown-key": [
        "quizzes_bad/unknown-key.yml:3: passmark: okänd nyckel (menade du pass_mark?), "
        "förväntade en av id, title, version, pass_mark, questions, draw",
        "quizzes_bad/unknown-key.yml:1: pass_mark: saknas, förväntade ett tal mellan 0 och 1"],
    "missing-keys": [
        "quizzes_bad/missing-keys.yml:1: title: saknas, förväntade text",
        "quizzes_bad/missing-keys.yml:1: pass_mark: saknas, förväntade ett tal mellan 0 och 1",
        "quizzes_bad/missing-keys.yml:1: questions: saknas, förväntade en lista med minst en "
        "fråga"],
    "pass-mark-percent": [
        "quizzes_bad/pass-mark-percent.yml:3: pass_mark: förväntade ett tal mellan 0 och 1, "
        "fick talet 80 (skriv 0.8 för 80 %)"],
    "pass-mark-negative": [
        "quizzes_bad/pass-mark-negative.yml:3: pass_mark: förväntade ett tal mellan 0 och 1, "
        "fick talet -0.5"],
    "version-zero": [
        "quizzes_bad/version-zero.yml:3: version: förväntade ett heltal från och med 1, "
        "fick talet 0"],
    "bad-quiz-id": [
        "quizzes_bad/bad-quiz-id.yml:1: id: förväntade ett id med små bokstäver a–z, siffror "
        "och enkla bindestreck, t.ex. siths-kort, fick 'Bad_Quiz_Id'"],
    "id-not-file-name": [
        "quizzes_bad/id-not-file-name.yml:1: id: förväntade samma id som filnamnet "
        "('id-not-file-name'), fick 'siths-kort'"],
    "empty-questions": [
        "quizzes_bad/empty-questions.yml:4: questions: förväntade en lista med minst en fråga, "
        "fick en tom lista"],
    "no-correct-choice": [
        "quizzes_bad/no-correct-choice.yml:11: questions[2].choices: förväntade minst ett "
        "svarsalternativ med correct: true, fick inget"],
    "one-choice": [
        "quizzes_bad/one-choice.yml:6: questions[1].choices: förväntade en lista med minst 2 "
        "svarsalternativ, fick 1 svarsalternativ"],
    "correct-ja": [
        "quizzes_bad/correct-ja.yml:8: questions[1].choices[1].correct: förväntade true eller "
        "false, fick 'ja'"],
    "choice-not-mapping": [
        "quizzes_bad/choice-not-mapping.yml:7: questions[1].choices[1]: förväntade en tabell "
        "med nycklar, fick 'Ja'"],
    "empty-choice": [
        "quizzes_bad/empty-choice.yml:7: questions[1].choices[1]: förväntade en tabell med "
        "nycklar, fick inget värde"],
    "bad-question-id": [
        "quizzes_bad/bad-question-id.yml:5: questions[1].id: förväntade ett id med små "
        "bokstäver a–z, siffror och enkla bindestreck, t.ex. siths-kort, fick 'Fråga 1'"],
    "duplicate-question-ids": [
        "quizzes_bad/duplicate-question-ids.yml:11: questions[2].id: förväntade ett id som är "
        "unikt i quizen, fick 'kortet' som också används av questions[1]"],
    "duplicate-default-id": [
        "quizzes_bad/duplicate-default-id.yml:11: questions[2].id: förväntade ett id som är "
        "unikt i quizen, fick 'q2' som också används av questions[1] (frågan saknar id och får "
        "sitt id efter platsen)"],
    "duplicate-choice-texts": [
        "quizzes_bad/duplicate-choice-texts.yml:10: questions[1].choices[3].text: förväntade "
        "olika texter på svarsalternativen, fick 'ring chefen.' som också står i "
        "questions[1].choices[1]"],
    "many-problems": [
        "quizzes_bad/many-problems.yml:1: title: saknas, förväntade text",
        "quizzes_bad/many-problems.yml:3: pass_mark: förväntade ett tal mellan 0 och 1, "
        "fick '80 %'",
        "quizzes_bad/many-problems.yml:8: questions[1].choices[1].korrekt: okänd nyckel "
        "(menade du correct?), förväntade en av text, correct",
        "quizzes_bad/many-problems.yml:6: questions[1].choices: förväntade minst ett "
        "svarsalternativ med correct: true, fick inget",
        "quizzes_bad/many-problems.yml:10: questions[2].text: saknas, förväntade text",
        "quizzes_bad/many-problems.yml:15: questions[2].explanation: förväntade text, "
        "fick en tom text",
        "quizzes_bad/many-problems.yml:13: questions[2].choices[2].text: förväntade olika "
        "texter på svarsalternativen, fick 'Ja' som också står i questions[2].choices[1]",
        "quizzes_bad/many-problems.yml:16: questions[3]: förväntade en tabell med nycklar, "
        "fick 'just text'"],
}


@pytest.mark.parametrize("case,expected", sorted(BAD_CASES.items()), ids=sorted(BAD_CASES))
def test_bad_quiz_reports_every_problem(case, expected):
    path = BAD / f"{case}.yml"
    quiz, problems = load_quiz(path, display_path(path, FIXTURES))
    assert quiz is None
    assert [str(p) for p in problems] == expected


def test_the_corpus_has_a_pinned_message_for_every_file():
    assert sorted(p.stem for p in BAD.glob("*.yml")) == sorted(BAD_CASES)


def test_load_quizzes_reports_the_problems_of_all_files_at_once():
    quizzes, problems = load_quizzes(BAD, FIXTURES)
    assert quizzes == {}
    assert sorted(str(p) for p in problems) == sorted(m for ms in BAD_CASES.values() for m in ms)


def test_load_quizzes_by_id():
    quizzes, problems = load_quizzes(GOOD, FIXTURES)
    assert problems == []
    assert sorted(quizzes) == ["losenord", "siths-kort"]


def test_duplicate_quiz_ids_across_files():
    quizzes, problems = load_quizzes(FIXTURES / "quizzes_dup", FIXTURES)
    assert list(quizzes) == ["dubblett"]
    assert [str(p) for p in problems] == [
        "quizzes_dup/dubblett.yml:1: id: förväntade ett id som är unikt bland quizarna, fick "
        "'dubblett' som också används i quizzes_dup/dubblett.yaml"]


def test_missing_quiz_folder_is_no_problem(tmp_path):
    assert load_quizzes(tmp_path / "quizzes", tmp_path) == ({}, [])


# -- references from documents ---------------------------------------------------------------

def test_unreferenced_quiz_is_a_problem_on_the_quiz_file(siths):
    problems = check_references({"siths-kort": siths}, {"annan": ["RUT-002"]})
    assert [str(p) for p in problems] == [
        "quizzes_good/siths-kort.yml: quizen används inte av något dokument; lägg till "
        "quiz: siths-kort i ett dokument eller ta bort filen"]


def test_quiz_referenced_by_one_document_is_fine(siths):
    assert check_references({"siths-kort": siths}, {"siths-kort": ["RUT-001"]}) == []


def test_quiz_referenced_by_two_documents_is_a_problem(siths):
    problems = check_references({"siths-kort": siths}, {"siths-kort": ["UTB-004", "RUT-001"]})
    assert [str(p) for p in problems] == [
        "quizzes_good/siths-kort.yml: förväntade att ett enda dokument har quiz: siths-kort, "
        "fick 2 (RUT-001, UTB-004)"]
