"""Who must acknowledge: the active people of the roster whom a document's audience reaches,
read without changing the database; and why not, when there is nothing to count from."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rutinportal.content.catalogue import Catalogue
from rutinportal.portal.decisions.audience import roster_counts
from rutinportal.portal.storage.db import masked
from rutinportal.testing.server import free_port

from ..support import import_demo_roster


def documents(root: Path, *ids: str):
    catalogue = Catalogue.load(root)
    return [catalogue.documents[i] for i in ids]


def test_counts_from_the_roster(example_repo: Path, database_url: str) -> None:
    docs = documents(example_repo, "RUT-004", "RUT-011", "RUT-008")
    if database_url.startswith("postgresql"):
        # An empty database: nothing is created in it.
        assert roster_counts(database_url, docs).missing == (
            f"Databasen {masked(database_url)} har ingen personallista: importera den med "
            "rutinportal roster import.")
    import_demo_roster(example_repo, database_url)
    # Counted by hand in demo/personal.csv (all active): hälso- och sjukvård or vård- och
    # omsorgsboende; hälso- och sjukvård or hemtjänst; chefer, systemförvaltare or
    # sektorsledning (a person in two of them counts once).
    assert roster_counts(database_url, docs).counts == {"RUT-004": 17, "RUT-011": 17,
                                                        "RUT-008": 17}
    # Everybody else leaves: people who left count nowhere.
    roster = example_repo / "kvar.csv"
    roster.write_text("personid;namn;epost;enheter;roller;chef_for\n"
                      "a.a;A A;;hemtjanst;;\n"
                      "b.b;B B;;halso-sjukvard|vard-omsorgsboende;;\n"
                      "c.c;C C;;hemtjanst;chefer;hemtjanst\n"
                      "d.d;D D;;larm;;\n", encoding="utf-8")
    import_demo_roster(example_repo, database_url, roster)
    assert roster_counts(database_url, docs).counts == {"RUT-004": 1, "RUT-011": 3,
                                                        "RUT-008": 1}


def test_no_roster_is_said_not_failed(example_repo: Path, tmp_path: Path) -> None:
    docs = documents(example_repo, "RUT-004")
    missing = tmp_path / "finns-inte.sqlite3"
    assert roster_counts(f"sqlite:///{missing}", docs).missing == (
        f"Databasen {missing} finns inte: importera personallistan med rutinportal roster "
        "import.")
    assert not missing.exists()  # not created
    other = tmp_path / "annan.sqlite3"
    sqlite3.connect(other).close()
    assert roster_counts(f"sqlite:///{other}", docs).missing == (
        f"Databasen sqlite:///{other} har ingen personallista: importera den med rutinportal "
        "roster import.")
    port = free_port()
    url = f"postgresql://rutinportal:hemligt@127.0.0.1:{port}/rutinportal"
    found = roster_counts(url, docs)
    assert found.counts is None and found.missing.startswith(
        f"Databasen postgresql://rutinportal:***@127.0.0.1:{port}/rutinportal kunde inte läsas (")
    assert "hemligt" not in found.missing
