"""Combining quizzes: one quiz made of several, e.g. a reading list's for a workplace meeting.

`combine` is the only place a combined quiz is assembled: the build (pages, `catalog.json`)
and the portal (grading) both call it with the same sources.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..content.quizzes import Quiz


def combined_version(quizzes: Iterable[Quiz]) -> int:
    """A fingerprint of the sources' ids and versions, not a counter.

    The first 7 hex digits of the SHA-256 of the sorted "id@version" lines (so it fits a
    32-bit integer column): it changes whenever a source is added, removed or gets a new
    version, and not when the reading list merely changes order.
    """
    lines = "\n".join(sorted(f"{q.id}@{q.version}" for q in quizzes))
    return int(hashlib.sha256(lines.encode()).hexdigest()[:7], 16) or 1


def combine(quiz_id: str, title: str, quizzes: Sequence[Quiz], pass_mark: float = 0.8
            ) -> Quiz:
    """One quiz made of several (a reading list's), question ids "<source>--<question>".

    Choice ids are kept from the sources. A source given twice is used once.
    """
    sources: list[Quiz] = []
    for quiz in quizzes:
        if all(quiz.id != seen.id for seen in sources):
            sources.append(quiz)
    if not sources:
        raise ValueError("combine() needs at least one quiz")
    questions = tuple(replace(q, id=f"{source.id}--{q.id}")
                      for source in sources for q in source.questions)
    return Quiz(quiz_id, title, combined_version(sources), pass_mark, questions, None)


