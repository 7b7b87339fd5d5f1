"""Quizzes: loading with every problem reported, exact grading, combined quizzes, page data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rutinportal.errors import UserError, display_path
from rutinportal.quiz import (Choice, InvalidAnswers, Question, Quiz, QuizSchema, check_references,
                              choice_id, combine, combined_version, grade, human_key, load_quiz,
                              load_quizzes, preview_dict, public_dict)

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "quizzes_good"
BAD = FIXTURES / "quizzes_bad"


def load(path: Path) -> Quiz:
    quiz, problems = load_quiz(path, display_path(path, FIXTURES))
    assert problems == []
    assert quiz is not None
    return quiz


@pytest.fixture(scope="module")
def siths() -> Quiz:
    return load(GOOD / "siths-kort.yml")


def ids(quiz: Quiz, question_id: str, *texts: str) -> list[str]:
    """Choice ids by the start of their text, so the tables below read as answers."""
    question = next(q for q in quiz.questions if q.id == question_id)
    return [next(c.id for c in question.choices if c.text.startswith(t)) for t in texts]


def make_quiz(n: int, pass_mark: float) -> Quiz:
    """n single-answer questions whose right answer is "Rätt"."""
    questions = tuple(
        Question(f"q{i}", f"Fråga {i}?",
                 (Choice(choice_id("t", f"q{i}", "Rätt"), "Rätt", True),
                  Choice(choice_id("t", f"q{i}", "Fel"), "Fel", False)), None, False)
        for i in range(1, n + 1))
    return Quiz("t", "T", 1, pass_mark, questions, None)


def right_answers(quiz: Quiz, count: int) -> dict[str, list[str]]:
    return {q.id: sorted(q.correct_ids) for q in quiz.questions[:count]}


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
        "quizzes_bad/yaml-syntax.yml:2: ogiltig YAML (mapping values are not allowed here)"],
    "not-a-mapping": [
        "quizzes_bad/not-a-mapping.yml:1: förväntade en tabell med nycklar, fick en lista"],
    "empty-file": [
        "quizzes_bad/empty-file.yml: förväntade en tabell med nycklarna id, title, pass_mark "
        "och questions, fick en tom fil"],
    "unknown-key": [
        "quizzes_bad/unknown-key.yml:3: passmark: okänd nyckel (menade du pass_mark?), "
        "förväntade en av id, title, version, pass_mark, questions",
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


# -- grading -------------------------------------------------------------------------------------

GRADING = [
    # (answers by choice text, right per question, passed)
    ({"lana-ut": ["Hänvisar"], "lamna-datorn": ["Kortet tas", "Datorn"], "q3": ["Närmaste"]},
     [True, True, True], True),
    ({"lamna-datorn": ["Datorn", "Kortet tas"]}, [False, True, False], False),
    ({"lamna-datorn": ["Kortet tas"]}, [False, False, False], False),            # half a set
    ({"lamna-datorn": ["Kortet tas", "Datorn", "Kortet får"]}, [False, False, False], False),
    ({"lana-ut": ["Hänvisar", "Hänvisar"]}, [True, False, False], False),        # duplicates
    ({"lana-ut": ["Lånar"], "q3": ["Ingen"]}, [False, False, False], False),
    ({"lana-ut": [], "lamna-datorn": [], "q3": []}, [False, False, False], False),
    ({}, [False, False, False], False),
]


@pytest.mark.parametrize("answers,right,passed", GRADING)
def test_grading_table(siths, answers, right, passed):
    by_id = {qid: ids(siths, qid, *texts) for qid, texts in answers.items()}
    result = grade(siths, by_id)
    assert [r.correct for r in result.results] == right
    assert result.correct_count == sum(right) and result.total == 3
    assert result.score == pytest.approx(sum(right) / 3)
    assert result.passed is passed


def test_results_carry_explanations_and_the_key(siths):
    result = grade(siths, {})
    first = result.results[0]
    assert first.question_id == "lana-ut"
    assert first.explanation == siths.questions[0].explanation
    assert first.correct_choice_ids == ids(siths, "lana-ut", "Hänvisar")


def test_a_single_id_may_be_given_as_text(siths):
    assert grade(siths, {"lana-ut": ids(siths, "lana-ut", "Hänvisar")[0]}).results[0].correct


@pytest.mark.parametrize("n,right,pass_mark,passed", [
    (5, 4, 0.8, True), (5, 3, 0.8, False), (10, 7, 0.7, True), (10, 6, 0.7, False),
    (3, 1, 1 / 3, True), (3, 3, 1.0, True), (3, 2, 1.0, False), (4, 0, 0.0, True),
])
def test_pass_mark_boundary_is_exact(n, right, pass_mark, passed):
    quiz = make_quiz(n, pass_mark)
    assert grade(quiz, right_answers(quiz, right)).passed is passed


def test_api_response_leaves_out_the_key(siths):
    body = grade(siths, {}).as_dict()
    assert body["results"][0] == {"question_id": "lana-ut", "correct": False,
                                  "explanation": siths.questions[0].explanation}
    assert (body["score"], body["passed"], body["correct_count"], body["total"]) == \
        (0.0, False, 0, 3)


@pytest.mark.parametrize("answers,message", [
    ({"okand": []}, "okänd fråga 'okand' i quizen 'siths-kort'"),
    ({"lana-ut": ["abc"]}, "okänt svarsalternativ 'abc' i frågan 'lana-ut'"),
    ({"lana-ut": [3]}, "okänt svarsalternativ talet 3 i frågan 'lana-ut'"),
    ({"lana-ut": None}, "förväntade en lista med svarsalternativ-id för frågan 'lana-ut', "
                        "fick inget värde"),
    (["lana-ut"], "förväntade svaren som en tabell från fråge-id till en lista med "
                  "svarsalternativ-id, fick en lista"),
])
def test_invalid_answers_are_a_user_error(siths, answers, message):
    with pytest.raises(InvalidAnswers) as raised:
        grade(siths, answers)
    assert str(raised.value) == message
    assert isinstance(raised.value, UserError)


def test_a_choice_of_another_question_is_invalid(siths):
    other = ids(siths, "q3", "Närmaste")[0]
    message = f"okänt svarsalternativ '{other}' i frågan 'lana-ut'"
    with pytest.raises(InvalidAnswers, match=message):
        grade(siths, {"lana-ut": [other]})


# -- grading properties ----------------------------------------------------------------------------

@st.composite
def quizzes_with_answers(draw):
    questions = []
    for i in range(1, draw(st.integers(1, 6)) + 1):
        flags = draw(st.lists(st.booleans(), min_size=2, max_size=5).filter(any))
        choices = tuple(Choice(choice_id("p", f"q{i}", f"Alternativ {j}"), f"Alternativ {j}", c)
                        for j, c in enumerate(flags))
        questions.append(Question(f"q{i}", f"Fråga {i}?", choices, None, sum(flags) > 1))
    pass_mark = draw(st.sampled_from([0.0, 0.5, 0.6, 2 / 3, 0.7, 0.75, 0.8, 0.9, 1.0]))
    quiz = Quiz("p", "P", 1, pass_mark, tuple(questions), None)
    answers = {q.id: draw(st.lists(st.sampled_from([c.id for c in q.choices]), max_size=6))
               for q in questions if draw(st.booleans())}
    return quiz, answers


def by_question(result):
    return {r.question_id: r.correct for r in result.results}


@settings(deadline=None)
@given(quizzes_with_answers(), st.randoms())
def test_order_of_choices_questions_and_answers_never_matters(case, random):
    quiz, answers = case
    shuffled_questions = []
    for q in quiz.questions:
        choices = list(q.choices)
        random.shuffle(choices)
        shuffled_questions.append(Question(q.id, q.text, tuple(choices), q.explanation,
                                           q.multiple))
    random.shuffle(shuffled_questions)
    shuffled_quiz = Quiz(quiz.id, quiz.title, quiz.version, quiz.pass_mark,
                         tuple(shuffled_questions), None)
    items = list(answers.items())
    random.shuffle(items)
    shuffled_answers = {qid: random.sample(ids, len(ids)) * 2 for qid, ids in items}
    first, second = grade(quiz, answers), grade(shuffled_quiz, shuffled_answers)
    assert by_question(first) == by_question(second)
    assert (first.score, first.passed, first.correct_count) == \
        (second.score, second.passed, second.correct_count)


@settings(deadline=None)
@given(quizzes_with_answers())
def test_the_full_correct_answer_always_passes(case):
    quiz, _ = case
    result = grade(quiz, right_answers(quiz, len(quiz.questions)))
    assert result.score == 1.0 and result.passed
    assert all(r.correct for r in result.results)


@settings(deadline=None)
@given(quizzes_with_answers())
def test_score_is_a_share_and_passed_follows_the_pass_mark(case):
    quiz, answers = case
    result = grade(quiz, answers)
    assert 0.0 <= result.score <= 1.0
    assert result.score == result.correct_count / result.total
    assert result.total == len(quiz.questions)
    assert result.passed == (result.score >= quiz.pass_mark - 1e-9)


# -- combined quizzes ------------------------------------------------------------------------------

def test_combine_namespaces_question_ids_and_keeps_choice_ids(siths):
    other = load(GOOD / "losenord.yml")
    combined = combine("lasning-hemtjanst", "Kunskapstest: läslistan", [siths, other])
    assert (combined.id, combined.title, combined.pass_mark, combined.path) == \
        ("lasning-hemtjanst", "Kunskapstest: läslistan", 0.8, None)
    assert [q.id for q in combined.questions] == [
        "siths-kort--lana-ut", "siths-kort--lamna-datorn", "siths-kort--q3", "losenord--q1"]
    assert combined.questions[0].choices == siths.questions[0].choices
    answers = {q.id: sorted(q.correct_ids) for q in combined.questions}
    assert grade(combined, answers).passed


def test_combined_version_is_a_fingerprint_of_source_ids_and_versions(siths):
    other = load(GOOD / "losenord.yml")
    version = combine("x", "X", [siths, other]).version
    assert isinstance(version, int) and 0 < version < 2**31
    assert version == combined_version([siths, other])
    assert combine("x", "X", [other, siths]).version == version   # order is not content
    assert combine("x", "X", [siths, other, siths]).version == version   # a source once
    bumped = Quiz(other.id, other.title, other.version + 1, other.pass_mark, other.questions,
                  other.path)
    assert combine("x", "X", [siths, bumped]).version != version
    assert combine("x", "X", [siths]).version != version


def test_combine_uses_a_repeated_source_once(siths):
    combined = combine("x", "X", [siths, siths], pass_mark=0.5)
    assert len(combined.questions) == 3 and combined.pass_mark == 0.5


def test_combine_needs_a_source():
    with pytest.raises(ValueError):
        combine("x", "X", [])


# -- what pages may contain ------------------------------------------------------------------------

def test_public_dict_has_no_key_and_no_explanations(siths):
    data = public_dict(siths)
    assert data["pass_mark"] == 0.8 and data["version"] == 2
    assert data["questions"][1]["multiple"] is True
    assert set(data["questions"][0]["choices"][0]) == {"id", "text"}
    text = repr(data).lower()
    assert "correct" not in text and "explanation" not in text and "personliga" not in text


def test_preview_dict_adds_the_key_and_explanations(siths):
    data = preview_dict(siths)
    assert data["key"]["lamna-datorn"]["correct"] == sorted(
        ids(siths, "lamna-datorn", "Kortet tas", "Datorn"))
    assert data["key"]["lana-ut"]["explanation"] == siths.questions[0].explanation
    assert {k: v for k, v in data.items() if k != "key"} == public_dict(siths)
