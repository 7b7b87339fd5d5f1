"""How a question is shown: the multi-answer hint once, whoever wrote it."""

from __future__ import annotations

import pytest

from rutinportal.content.quizzes import Choice, Question
from rutinportal.quiz.presentation import question_text

RIGHT, ALSO, WRONG = Choice("a", "A", True), Choice("b", "B", True), Choice("c", "C", False)


@pytest.mark.parametrize("text", [
    "Vilka gäller? Välj alla som stämmer.",
    "Vilka gäller?  välj alla som stämmer",
    "Vilka gäller? (Välj alla som stämmer.)",
])
def test_a_hint_written_into_a_multi_answer_question_is_taken_off(text) -> None:
    question = Question("q1", text, (RIGHT, ALSO, WRONG), None, True)
    assert question_text(question) == "Vilka gäller?"


def test_other_texts_stay_as_written() -> None:
    single = Question("q1", "Vad gör du? Välj alla som stämmer.", (RIGHT, WRONG), None, False)
    assert question_text(single) == single.text  # not a multi-answer question: left alone
    middle = Question("q2", "Välj alla som stämmer: vilka gäller?", (RIGHT, ALSO), None, True)
    assert question_text(middle) == middle.text
