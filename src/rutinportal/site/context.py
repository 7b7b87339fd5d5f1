"""What every page generator needs: the validated content, the mode and the day.

The reading lists' combined quizzes are assembled here once per build (with
`quiz.combining.combine`) and read by the pages and by `catalog.json`.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..content.catalogue import Catalogue, Validated
from ..content.checks import unpublished_notes
from ..content.documents import Kind
from ..content.organisation import Audience, person_audiences, reaches
from ..content.publications import Publication
from ..content.quizzes import Quiz
from ..quiz.combining import combine
from .urls import reading_list_quiz_id


@dataclass
class SiteContext:
    validated: Validated
    today: dt.date
    by_id: dict[str, Publication] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.publications}

    @property
    def catalogue(self) -> Catalogue:
        return self.validated.catalogue

    @property
    def publications(self) -> list[Publication]:
        return self.validated.publications

    @property
    def preview(self) -> bool:
        return self.validated.preview

    @cached_property
    def published_quizzes(self) -> dict[str, Publication]:
        """Quiz id → the publication that names it (its quiz: the frozen, approved one)."""
        return {p.quiz.id: p for p in self.publications if p.quiz is not None}

    @cached_property
    def unpublished(self) -> dict[str, str]:
        """Site path of each controlled document that is not published → the note a link
        to it becomes (a page approved before its target was retired still builds)."""
        return unpublished_notes(self.catalogue.documents, self.publications)

    def quiz_of(self, pub: Publication) -> Quiz | None:
        return pub.quiz

    def audience_names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.catalogue.organisation.name(i) for i in ids)

    def of_kind(self, kind: Kind) -> list[Publication]:
        return [p for p in self.publications if p.kind is kind]

    def course_of(self, pub: Publication) -> str:
        return posixpath.dirname(pub.site_path).split("/")[-1]

    def in_reading_list(self, pub: Publication, audience: Audience) -> bool:
        """A reading list shows what reaches a person who is only in that audience."""
        return reaches(pub.content.audience, _only_in(audience.id))

    @cached_property
    def reading_lists(self) -> dict[str, list[Publication]]:
        """Audience id → what its reading list shows (see `in_reading_list`)."""
        return {a.id: [p for p in self.publications if self.in_reading_list(p, a)]
                for a in self.catalogue.organisation.audiences.values()}

    def course_modules(self, course_id: str) -> list[Publication]:
        return sorted((p for p in self.of_kind(Kind.TRAINING) if self.course_of(p) == course_id),
                      key=lambda p: (p.content.order or 0, p.id))

    @cached_property
    def reading_list_quizzes(self) -> dict[str, Quiz]:
        """Audience id → one quiz from the quizzes of its mandatory routines (if any)."""
        found = {}
        for audience in self.catalogue.organisation.audiences.values():
            sources = [p.quiz for p in sorted_for_list(self.reading_lists[audience.id])
                       if p.kind is Kind.ROUTINE and p.content.mandatory
                       and p.quiz is not None]
            if sources:
                found[audience.id] = combine(reading_list_quiz_id(audience.id),
                                             f"Kunskapstest: läslistan för {audience.name}",
                                             sources)
        return found


@lru_cache(maxsize=256)
def _only_in(audience_id: str) -> frozenset[str]:
    return person_audiences([audience_id], [])


def sorted_for_list(pubs: list[Publication]) -> list[Publication]:
    """Mandatory first, then by title."""
    return sorted(pubs, key=lambda p: (not p.content.mandatory, p.title.casefold()))
