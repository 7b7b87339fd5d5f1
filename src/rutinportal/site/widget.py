"""The quiz widget: what a page may contain of a quiz, rendered as HTML.

Production pages get `public_dict` (no answer key, no explanations): the page's script asks
the portal for an attempt, shows the questions it drew with their choices in the order it
gives, and the portal grades. Preview builds get `preview_dict` and grade in the browser.
A question's text is shown without a multiple-answer hint of its own: the widget adds the
hint once (`quiz.presentation`).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..content.quizzes import Quiz
from ..quiz.presentation import question_text
from .rendering import environment

API_ATTEMPTS = "/api/quizzes/{quiz_id}/attempts"


def public_dict(quiz: Quiz) -> dict[str, Any]:
    """What a production page may contain: no correct flags, no explanations."""
    return {
        "id": quiz.id, "title": quiz.title, "version": quiz.version,
        "pass_mark": quiz.pass_mark,
        "questions": [{"id": q.id, "text": question_text(q), "multiple": q.multiple,
                       "choices": [{"id": c.id, "text": c.text} for c in q.choices]}
                      for q in quiz.questions],
    }


def preview_dict(quiz: Quiz) -> dict[str, Any]:
    """`public_dict` plus the key, for grading in the browser in preview builds only."""
    data = public_dict(quiz)
    data["key"] = {q.id: {"correct": sorted(q.correct_ids), "explanation": q.explanation}
                   for q in quiz.questions}
    return data


def render_widget(quiz: Quiz, *, preview: bool, api_url: str | None = None) -> Markup:
    """The quiz form as HTML for a Markdown page; the key only when `preview`."""
    data = preview_dict(quiz) if preview else public_dict(quiz)
    html = environment().get_template("quiz.html.j2").render(
        quiz=data, preview=preview,
        api_url=API_ATTEMPTS.format(quiz_id=quiz.id) if api_url is None else api_url)
    return Markup(html)
