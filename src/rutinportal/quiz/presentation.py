"""How a question is shown: its text, and the hint on a question with several right answers.

The widget adds "Välj alla som stämmer." to every question with more than one correct choice.
A question whose text already ends with the hint (written into the quiz file) would show it
twice, so the hint is taken off the text here and shown once, by the widget.
"""

from __future__ import annotations

import re

from ..content.quizzes import Question

MULTIPLE_HINT = "Välj alla som stämmer."
_TRAILING_HINT = re.compile(r"\s*\(?\s*välj alla som stämmer\s*[.!]?\s*\)?\s*$", re.IGNORECASE)


def question_text(question: Question) -> str:
    """The question's text without a trailing multiple-answer hint (the widget adds it)."""
    if not question.multiple:
        return question.text
    return _TRAILING_HINT.sub("", question.text) or question.text
