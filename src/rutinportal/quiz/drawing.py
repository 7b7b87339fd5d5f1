"""Drawing an attempt: which questions a person gets, and their choices in shuffled order.

A quiz with `draw: N` is a question bank: each attempt gets N of its questions, in the order
of the file. A combined quiz (a reading list's) draws from each source quiz as that quiz
does. The choices of every question are shuffled, so neither a position nor a remembered
order gives the answer. Production uses the operating system's generator; tests pass a
seeded one.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from ..content.quizzes import Choice, Question, Quiz

SOURCE_SEPARATOR = "--"  # combined quizzes name questions "<source quiz>--<question>"


@dataclass(frozen=True)
class DrawnQuestion:
    question: Question
    choices: tuple[Choice, ...]  # in the order shown


def _groups(quiz: Quiz, sources: Mapping[str, Quiz]) -> list[tuple[list[Question], int]]:
    """The questions in groups that are drawn from separately, with how many to draw."""
    if quiz.path is not None or not all(SOURCE_SEPARATOR in q.id for q in quiz.questions):
        return [(list(quiz.questions), quiz.draw or len(quiz.questions))]
    groups: dict[str, list[Question]] = {}
    for question in quiz.questions:
        groups.setdefault(question.id.split(SOURCE_SEPARATOR, 1)[0], []).append(question)
    drawn = []
    for source_id, questions in groups.items():
        source = sources.get(source_id)
        count = source.draw if source is not None and source.draw else len(questions)
        drawn.append((questions, min(count, len(questions))))
    return drawn


def draw(quiz: Quiz, sources: Mapping[str, Quiz] | None = None,
         rng: random.Random | None = None) -> list[DrawnQuestion]:
    """The questions of one attempt, each with its choices shuffled."""
    rng = rng or random.SystemRandom()
    drawn: list[DrawnQuestion] = []
    for questions, count in _groups(quiz, sources or {}):
        picked = sorted(rng.sample(range(len(questions)), count))
        for index in picked:
            question = questions[index]
            choices = list(question.choices)
            rng.shuffle(choices)
            drawn.append(DrawnQuestion(question, tuple(choices)))
    return drawn
