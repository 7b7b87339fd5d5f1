"""Decision times from the first submission, through the real commands: a return keeps the
submission it answered, the median and longest per body, what was waiting on a day, and a
return written before returns kept their submission day (a lower bound)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rutinportal.approval.decision_times import (decided_between, decisions, times,
                                                 times_by_body, waiting_on)
from rutinportal.content.catalogue import Catalogue

from ..conftest import routine
from .test_decisions import meta, run

LG = "Ledningsgruppen Utveckling och stöd"
SL = "Sektorsledningen Välfärd"


def history(root: Path) -> None:
    """RUT-901: submitted 01-10, returned 02-02, submitted again 02-20, approved 03-02 (51
    days from the first submission, 10 in the last round). RUT-902: submitted 02-16, approved
    03-02 (14 days). RUT-903 (sektorsledningen): 02-23 to 03-09 (14 days). RUT-904: submitted
    03-20 and still waiting."""
    for doc_id, slug in (("RUT-901", "a"), ("RUT-902", "b"), ("RUT-903", "c"),
                         ("RUT-904", "d")):
        routine(root, slug, doc_id, title=f"Rutin {doc_id}")
    assert run("submit", "RUT-901", today="2026-01-10")[0] == 0
    assert run("return", "RUT-901", "--comment", "Förtydliga.", today="2026-02-02")[0] == 0
    assert run("submit", "RUT-901", today="2026-02-20")[0] == 0
    assert run("submit", "RUT-902", today="2026-02-16")[0] == 0
    code, out = run("approve", "RUT-901", "RUT-902", "--by", "lg-us", "--decision",
                    "LG U&S 2026-03-02 § 4", today="2026-03-02")
    assert code == 0, out
    assert run("submit", "RUT-903", today="2026-02-23")[0] == 0
    code, out = run("approve", "RUT-903", "--by", "sektorsledningen", "--decision", "SL § 2",
                    today="2026-03-09")
    assert code == 0, out
    assert run("submit", "RUT-904", today="2026-03-20")[0] == 0


def test_a_returned_document_counts_from_its_first_submission(empty_repo: Path) -> None:
    history(empty_repo)
    assert meta(empty_repo / "routines/a.md")["returns"][0]["submitted_on"] == "2026-01-10"
    found = {d.id: d for d in decisions(Catalogue.load(empty_repo))}
    first = found["RUT-901"]
    assert (first.first_submitted, first.last_submitted, first.approved_on) == (
        dt.date(2026, 1, 10), dt.date(2026, 2, 20), dt.date(2026, 3, 2))
    assert (first.days, first.returns, first.rounds, first.exact) == (51, 1, 2, True)
    assert (first.body, first.decision) == (LG, "LG U&S 2026-03-02 § 4")
    assert first.path == "approved/RUT-901/v1.md"
    assert [found[i].days for i in ("RUT-902", "RUT-903")] == [14, 14]
    assert "RUT-904" not in found


def test_median_and_longest_per_body(empty_repo: Path) -> None:
    history(empty_repo)
    found = decisions(Catalogue.load(empty_repo))
    in_march = decided_between(found, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    by_body = {t.body: t for t in times_by_body(in_march)}
    assert (by_body[LG].count, by_body[LG].median, by_body[LG].longest,
            by_body[LG].longest_id, by_body[LG].returns) == (2, 32.5, 51, "RUT-901", 1)
    assert (by_body[SL].count, by_body[SL].median, by_body[SL].longest) == (1, 14, 14)
    overall = times(in_march)
    assert (overall.body, overall.count, overall.median, overall.longest) == (None, 3, 14, 51)
    assert decided_between(found, dt.date(2026, 4, 1), dt.date(2026, 12, 31)) == []
    assert times([]).median is None and times([]).longest is None


def test_what_was_waiting_on_a_day(empty_repo: Path) -> None:
    history(empty_repo)
    catalogue = Catalogue.load(empty_repo)
    found = decisions(catalogue)

    def waiting(day: str) -> list[tuple]:
        return [(w.id, w.days, w.round_days, w.rounds)
                for w in waiting_on(catalogue, found, dt.date.fromisoformat(day))]

    assert waiting("2026-01-31") == [("RUT-901", 21, 21, 1)]
    assert waiting("2026-02-10") == []  # returned, not yet submitted again
    assert waiting("2026-02-25") == [("RUT-901", 46, 5, 2), ("RUT-902", 9, 9, 1),
                                     ("RUT-903", 2, 2, 1)]
    assert waiting("2026-03-05") == [("RUT-903", 10, 10, 1)]
    assert waiting("2026-04-01") == [("RUT-904", 12, 12, 1)]  # still submitted today


def test_a_return_without_its_submission_day_gives_a_lower_bound(empty_repo: Path) -> None:
    path = routine(empty_repo, "a", "RUT-901")
    run("submit", "RUT-901", today="2026-01-10")
    run("return", "RUT-901", "--comment", "Förtydliga.", today="2026-02-02")
    # As `return` wrote it before returns kept the submission they answered.
    path.write_text(path.read_text(encoding="utf-8").replace(', submitted_on: "2026-01-10"',
                                                             ""), encoding="utf-8")
    assert "submitted_on" not in meta(path)["returns"][0]
    run("submit", "RUT-901", today="2026-02-20")
    assert run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 1",
               today="2026-03-02")[0] == 0
    (found,) = decisions(Catalogue.load(empty_repo))
    assert (found.first_submitted, found.days, found.exact) == (dt.date(2026, 2, 2), 28, False)


def test_a_reinstatement_has_no_submission_and_no_days(empty_repo: Path) -> None:
    routine(empty_repo, "a", "RUT-901")
    run("submit", "RUT-901", today="2026-01-10")
    run("approve", "RUT-901", "--by", "lg-us", "--decision", "§ 1", today="2026-01-20")
    assert run("retire", "RUT-901", "--decision", "§ 2", "--yes", today="2026-02-01")[0] == 0
    assert run("reinstate", "RUT-901", "--decision", "§ 3", today="2026-03-01")[0] == 0
    found = decisions(Catalogue.load(empty_repo))
    assert [(d.version, d.days) for d in found] == [(1, 10), (2, None)]
    assert times(found).count == 1
