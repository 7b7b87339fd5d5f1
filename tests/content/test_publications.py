"""What is published: the latest approved snapshot; drafts only in a preview; material changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rutinportal.content.catalogue import Catalogue
from rutinportal.content.documents import Approval, Content, Kind, Status
from rutinportal.content.publications import Publication, add_months, site_path
from rutinportal.content.snapshots import Snapshot

from ..conftest import approved_versions


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 14) == dt.date(2028, 1, 15)


def test_site_paths() -> None:
    assert site_path(Kind.ROUTINE, "routines/siths-kort.md") == "rutiner/siths-kort.md"
    assert site_path(Kind.TRAINING, "docs/utbildning/ledning/a.md") == "utbildning/ledning/a.md"


def test_production_publishes_the_latest_approved_version_only(example_repo: Path) -> None:
    catalogue = Catalogue.load(example_repo)
    published = {p.id: p for p in catalogue.publications()}
    assert {"RUT-008", "RUT-011", "RUT-012"}.isdisjoint(published)  # submitted, retired
    journal = published["RUT-004"]  # v2 waits for a decision; v1 stays published
    assert journal.version == 1 and not journal.draft and journal.status is Status.SUBMITTED
    assert journal.approval is not None and journal.source == "approved/RUT-004/v1.md"
    siths = published["RUT-001"]
    versions = approved_versions(example_repo, "RUT-001")
    assert len(versions) > 1  # a history to read
    assert siths.version == versions[-1] and [s.version for s in siths.history] == versions
    assert siths.next_review == add_months(siths.approved_on, siths.content.review_months)


def test_a_preview_adds_the_working_copies_as_drafts(example_repo: Path) -> None:
    catalogue = Catalogue.load(example_repo)
    preview = {p.id: p for p in catalogue.publications(preview=True)}
    assert preview["RUT-011"].draft and preview["RUT-011"].approval is None
    assert preview["RUT-004"].draft and preview["RUT-004"].version == 2
    assert "RUT-012" not in preview  # retired: absent even from a preview
    assert not preview["RUT-002"].draft


def publication_with(changes: list[bool]) -> Publication:
    """A routine whose version N was approved with `material_change: changes[N-1]`."""
    history = tuple(
        Snapshot(Path(f"v{n}.md"), f"v{n}.md",
                 Content(id="RUT-901", title="T", owner="O", audience=("alla",), version=n,
                         material_change=material),
                 Approval(approved_on=dt.date(2026, 1, n)), "routines/t.md", "0" * 64, "")
        for n, material in enumerate(changes, start=1))
    latest = history[-1]
    return Publication(Kind.ROUTINE, latest.content, latest.approval, "", latest.sha256,
                       "rutiner/t.md", latest.shown, history)


def test_acknowledgements_count_from_the_last_material_change() -> None:
    assert publication_with([True]).acknowledge_from == 1
    assert publication_with([True, True, True]).acknowledge_from == 3
    assert publication_with([True, False]).acknowledge_from == 1
    assert publication_with([True, True, False, False]).acknowledge_from == 2
