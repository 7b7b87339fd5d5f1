"""Grading: exact, per question, with properties that hold for any quiz."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rutinportal.content.quizzes import Choice, Question, Quiz, choice_id
from rutinportal.errors import InvalidAnswers, UserError
from rutinportal.quiz.grading import grade

from ..quizhelpers import GOOD, ids, load, make_quiz, right_answers


@pytest.fixture(scope="module")
def siths() -> Quiz:
    return load(GOOD / "siths-kort.yml")


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
