"""What a follow-up database holds besides the roster and the acknowledgements: exceptions
and quiz attempts, by bulk insert (`dbfill.insert_rows`), for the dashboard benchmark.

- Exceptions: 2 % of the people away (most until a day ahead, some back already), 3 % with a
  later due date (half for one mandatory routine, half for everything), and one in ten of
  them taken back (revoked), as managers record them.
- Quiz attempts: for each routine with a quiz, 30 % of the people tried it, one to three
  attempts, the last passed (at the published quiz version).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine

from rutinportal.portal.storage.models import PersonException, QuizAttempt

from .dbfill import Document, Roster, insert_rows

REASONS = ["Föräldraledig", "Sjukskriven", "Tjänstledig", "Studier", "Ny i tjänsten"]


def fill_exceptions(engine: Engine, roster: Roster, documents: list[Document],
                    seed: int = 4) -> dict[int, int]:
    """Person → how many exceptions they have (in force or taken back)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    today = now.date()
    mandatory = [d.id for d in documents if d.mandatory]
    rows = []
    for n in range(len(roster.person_ids)):
        pk, draw = n + 1, rng.random()
        if draw < 0.02:
            kind, document = "away", None
            until = today + dt.timedelta(days=rng.randint(-30, 150))
        elif draw < 0.05:
            kind = "extend"
            document = rng.choice(mandatory) if mandatory and rng.random() < 0.5 else None
            until = today + dt.timedelta(days=rng.randint(5, 60))
        else:
            continue
        recorded = now - dt.timedelta(days=rng.randint(1, 60))
        revoked = rng.random() < 0.1
        rows.append({"person_pk": pk, "kind": kind, "document_id": document, "until": until,
                     "reason": rng.choice(REASONS), "recorded_by": "Chef (bench)",
                     "recorded_at": recorded,
                     "revoked_at": recorded + dt.timedelta(days=1) if revoked else None,
                     "revoked_by": "Chef (bench)" if revoked else None})
    insert_rows(engine, PersonException.__table__, rows)
    return dict(Counter(row["person_pk"] for row in rows))


def quiz_versions(site: Path) -> dict[str, int]:
    data = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return {q["id"]: q["version"] for q in data["quizzes"]}


def fill_quiz_attempts(engine: Engine, roster: Roster, documents: list[Document],
                       versions: dict[str, int], seed: int = 5) -> int:
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    quizzed = [d for d in documents if d.quiz and d.quiz in versions]

    def rows():
        for n in range(len(roster.person_ids)):
            for document in quizzed:
                if rng.random() >= 0.3:
                    continue
                tries = rng.randint(1, 3)
                first = now - dt.timedelta(minutes=rng.randint(60, 200 * 24 * 60))
                for attempt in range(1, tries + 1):
                    passed = attempt == tries
                    yield {"person_pk": n + 1, "quiz_id": document.quiz,
                           "quiz_version": versions[document.quiz],
                           "document_id": document.id, "answers": {},
                           "score": 1.0 if passed else 0.5, "passed": passed,
                           "attempted_at": first + dt.timedelta(minutes=5 * attempt)}

    return insert_rows(engine, QuizAttempt.__table__, rows())
