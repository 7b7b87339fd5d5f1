"""Is a working copy ready to be decided? The checks that `submit` enforces.

Problems a draft may still have while it is being written (the untouched template, an empty
section, a `# H1`, `tags` written as a text, a missing change note, too small a module quiz)
are warnings for a draft and errors once it is submitted: `submit` refuses them, and `check`
refuses a submitted document that has them.
"""

from __future__ import annotations

from collections.abc import Mapping

from .documents import Kind, WorkingCopy
from .markdown import outline
from .problems import Problem
from .quizzes import Quiz

PLACEHOLDER_OWNER = "Ange informationsägaren som roll"
MODULE_QUIZ_MINIMUM = 5


def readiness(doc: WorkingCopy, quizzes: Mapping[str, Quiz]) -> list[Problem]:
    """What keeps `doc` from being submitted for a decision."""
    if doc.source is None:
        return []
    shown, content, first = doc.shown, doc.content, doc.source.body_line
    problems = []
    if content.owner == PLACEHOLDER_OWNER:
        problems.append(Problem(shown, doc.line("owner"), "owner", (
            "förväntade informationsägaren som roll, t.ex. \"Verksamhetschef hemtjänst\", "
            "fick mallens text")))
    tags = doc.source.meta.data.get("tags") if isinstance(doc.source.meta.data, dict) else None
    if isinstance(tags, str):
        words = ", ".join(t.strip() for t in tags.split(",") if t.strip())
        problems.append(Problem(shown, doc.line("tags"), "tags", (
            f"förväntade en lista med ämnesord, fick texten '{tags}'; skriv tags: [{words}]")))
    if not doc.body.strip():
        problems.append(Problem(shown, first, None, "texten är tom"))
    found = outline(doc.body)
    for heading in found.headings:
        line = first + heading.line - 1
        if heading.level == 1:
            problems.append(Problem(shown, line, None, (
                f"rubriken '# {heading.text}' används inte: titeln visas från title; skriv "
                "avsnittens rubriker med ## och ta bort rubriken på nivå 1")))
        elif heading.empty:
            problems.append(Problem(shown, line, None, (
                f"avsnittet '{heading.text}' är tomt; skriv texten eller ta bort rubriken")))
    for line in found.empty_items:
        problems.append(Problem(shown, first + line - 1, None,
                                "punkten i listan är tom; skriv den eller ta bort den"))
    if content.version > 1 and not content.change_note:
        problems.append(Problem(shown, doc.line("version"), "change_note", (
            "saknas, förväntade en eller två meningar om vad som har ändrats och varför "
            "(krävs från version 2; visas för beslutsfattarna och medarbetarna)")))
    quiz = quizzes.get(content.quiz) if content.quiz else None
    if doc.kind is Kind.TRAINING and quiz is not None \
            and len(quiz.questions) < MODULE_QUIZ_MINIMUM:
        problems.append(Problem(shown, doc.line("quiz"), "quiz", (
            f"en utbildningsmoduls kunskapstest behöver minst {MODULE_QUIZ_MINIMUM} frågor "
            f"för att mäta något, fick {len(quiz.questions)} i {quiz.path}")))
    return problems
