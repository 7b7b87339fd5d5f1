"""The quiz file's `draw` key (a question bank): documented, validated, 1 ≤ N ≤ questions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from rutinportal.content.quizzes import QuizSchema, load_quiz

QUIZ = """
id: bank
title: Frågebank
pass_mark: 0.8
{draw}
questions:
  - text: Första?
    choices:
      - text: Ja
        correct: true
      - text: Nej
  - text: Andra?
    choices:
      - text: Ja
        correct: true
      - text: Nej
  - text: Tredje?
    choices:
      - text: Ja
        correct: true
      - text: Nej
"""


def load(tmp_path: Path, draw: str):
    path = tmp_path / "bank.yml"
    path.write_text(textwrap.dedent(QUIZ.format(draw=draw)).lstrip(), encoding="utf-8")
    return load_quiz(path, "quizzes/bank.yml")


def test_draw_is_documented() -> None:
    assert "Antal frågor som dras" in QuizSchema.draw.doc


@pytest.mark.parametrize("draw, expected", [("", None), ("draw: 1", 1), ("draw: 3", 3)])
def test_a_valid_draw(tmp_path, draw, expected) -> None:
    quiz, problems = load(tmp_path, draw)
    assert problems == [] and quiz.draw == expected


@pytest.mark.parametrize("draw, message", [
    ("draw: 4", "förväntade ett heltal från 1 till antalet frågor (3), fick 4"),
    ("draw: 0", "förväntade ett heltal från och med 1, fick talet 0"),
    ("draw: två", "förväntade ett heltal från och med 1, fick 'två'"),
    ("draw: true", "förväntade ett heltal från och med 1, fick true (YAML läser "
                   "no/yes/on/off som sant/falskt; sätt värdet inom citattecken)"),
])
def test_an_invalid_draw_names_file_line_and_key(tmp_path, draw, message) -> None:
    quiz, problems = load(tmp_path, draw)
    assert quiz is None
    assert [(p.path, p.line, p.key, p.message) for p in problems] == \
        [("quizzes/bank.yml", 4, "draw", message)]
