"""The printable meeting sheet: the routines gone through, their quiz questions without the
answer key (the choices, never which is right), and the unit's people with a line to sign.
A page of its own with print CSS (A4), no script."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..published import Published
from .service import Choices


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("rutinportal.portal.meetings", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


def sheet_html(published: Published, options: Choices, document_ids: list[str],
               use_quiz: bool, held_on: str) -> str:
    wanted = set(document_ids) | (set(options.quiz_routines) if use_quiz else set())
    documents = [d for d in options.routines if d.id in wanted]
    questions = []
    for document in documents:
        quiz = published.quizzes.get(document.quiz or "")
        if quiz is not None:
            # Text only: a question's wording and its choices; `correct` is never read.
            questions.append((document, [(q.text, [c.text for c in q.choices])
                                         for q in quiz.questions]))
    return environment().get_template("apt_sheet.html.j2").render(
        unit=options.unit, documents=documents, questions=questions, people=options.people,
        held_on=held_on)
