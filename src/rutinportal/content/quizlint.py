"""Does a quiz measure something? Warnings about answer keys a guesser can see through.

Item-writing rules from test construction: the right answer should not be the longest choice
(test-wise people pick it), should not always stand in the same place, and a choice should
not repeat the question's wording (a "clang association" that gives the answer away). These
are warnings (`check` shows them, with file and line); they never stop a build. The size of a
training module's quiz is a rule at submit (`readiness`).
"""

from __future__ import annotations

import re

from .problems import Problem
from .quizzes import Quiz, human_key, parsed
from .yamlsource import Located, YamlSyntaxError

REPEATED_WORDS = 4  # a run of this many of the question's words, in order, in a choice
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _repeated(question: str, choice: str) -> str | None:
    """The first run of `REPEATED_WORDS` words of the question that the choice repeats."""
    asked, answered = _words(question), _words(choice)
    runs = {tuple(asked[i:i + REPEATED_WORDS]) for i in range(len(asked) - REPEATED_WORDS + 1)}
    for i in range(len(answered) - REPEATED_WORDS + 1):
        run = tuple(answered[i:i + REPEATED_WORDS])
        if run in runs:
            return " ".join(run)
    return None


def lint(quiz: Quiz, text: str) -> list[Problem]:
    """Warnings for one valid quiz (`text`: its file, for the lines)."""
    shown = quiz.path or quiz.id
    try:
        source = parsed(text)
    except YamlSyntaxError:
        source = Located(None)
    warnings: list[Problem] = []
    single = [(i, q) for i, q in enumerate(quiz.questions) if not q.multiple]
    longest = []
    for index, question in single:
        lengths = sorted((len(c.text) for c in question.choices), reverse=True)
        right = next(c for c in question.choices if c.correct)
        if len(lengths) > 1 and len(right.text) == lengths[0] > lengths[1]:
            longest.append(index)
    if len(single) >= 2 and len(longest) * 2 > len(single):
        warnings.append(Problem(shown, source.line("questions"), "questions", (
            f"det rätta svaret är det längsta alternativet i {len(longest)} av {len(single)} "
            "frågor med ett rätt svar; den som väljer det längsta svaret klarar testet – "
            "skriv de felaktiga alternativen lika utförliga som det rätta")))
    places = {next(j for j, c in enumerate(q.choices) if c.correct) for _, q in single}
    if len(single) >= 3 and len(places) == 1:
        warnings.append(Problem(shown, source.line("questions"), "questions", (
            f"det rätta svaret står alltid som alternativ {places.pop() + 1} i de "
            f"{len(single)} frågorna med ett rätt svar; blanda ordningen")))
    for index, question in enumerate(quiz.questions):
        for c_index, choice in enumerate(question.choices):
            run = _repeated(question.text, choice.text)
            if run:
                base = ("questions", index, "choices", c_index)
                warnings.append(Problem(shown, source.line(*base, "text"),
                                        human_key((*base, "text")), (
                    f"svarsalternativet upprepar frågans ord ('{run}'); ett alternativ som "
                    "upprepar frågan avslöjar ofta svaret – formulera det med egna ord")))
    return warnings
