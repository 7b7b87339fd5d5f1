"""Drawing an attempt: a question bank (`draw: N`), per source in a combined quiz, and every
question's choices shuffled."""

from __future__ import annotations

import dataclasses
import random

from rutinportal.quiz.combining import combine
from rutinportal.quiz.drawing import draw

from ..quizhelpers import GOOD, load, make_quiz


def test_without_draw_every_question_is_asked_in_the_files_order() -> None:
    quiz = make_quiz(5, 0.8)
    drawn = draw(quiz, rng=random.Random(1))
    assert [d.question.id for d in drawn] == [q.id for q in quiz.questions]


def test_choices_are_shuffled_and_complete() -> None:
    quiz = load(GOOD / "siths-kort.yml")
    rng = random.Random(7)
    orders = set()
    for _ in range(30):
        for item in draw(quiz, rng=rng):
            assert sorted(c.id for c in item.choices) == sorted(c.id for c in
                                                                item.question.choices)
            orders.add((item.question.id, tuple(c.id for c in item.choices)))
    assert len(orders) > len(quiz.questions)


def test_a_bank_draws_n_questions_in_the_files_order() -> None:
    quiz = dataclasses.replace(make_quiz(6, 0.8), draw=3)
    rng = random.Random(3)
    sets = set()
    for _ in range(40):
        ids = [d.question.id for d in draw(quiz, rng=rng)]
        assert len(ids) == 3 and ids == sorted(ids)  # q1 … q6: the file's order
        sets.add(tuple(ids))
    assert len(sets) > 5  # of the 20 possible draws


def test_a_combined_quiz_draws_from_each_source_as_the_source_does() -> None:
    siths = load(GOOD / "siths-kort.yml")
    other = dataclasses.replace(make_quiz(4, 0.8), id="bank", draw=1)
    combined = combine("laslista-x", "Läslistan", [siths, other])
    for seed in range(10):
        ids = [d.question.id for d in draw(combined, {"siths-kort": siths, "bank": other},
                                           random.Random(seed))]
        assert [i for i in ids if i.startswith("siths-kort--")] == \
            [q.id for q in combined.questions if q.id.startswith("siths-kort--")]
        assert len([i for i in ids if i.startswith("bank--")]) == 1


def test_the_default_generator_is_the_systems() -> None:
    quiz = dataclasses.replace(make_quiz(10, 0.8), draw=5)
    assert len({tuple(d.question.id for d in draw(quiz)) for _ in range(20)}) > 1
