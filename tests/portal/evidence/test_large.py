"""The bundle at the sector's full size, on SQLite and PostgreSQL: 3,000 people × 200
mandatory routines, every routine acknowledged by everybody (600,000 acknowledgements). The
export streams them (`yield_per`, entry by entry) and the result is complete and verifies.
How long it takes is measured by `make bench` (bench/evidence.py), not here."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from sqlalchemy import func, insert, select

from rutinportal.approval.frontmatter_edit import update_front_matter
from rutinportal.approval.writing import render_snapshot
from rutinportal.content.catalogue import Catalogue
from rutinportal.content.documents import Approval, Content, WorkingCopyFields
from rutinportal.content.yamlsource import read_front_matter
from rutinportal.portal.evidence import keys
from rutinportal.portal.evidence.bundle import export
from rutinportal.portal.evidence.registers import Period
from rutinportal.portal.evidence.verify import verify
from rutinportal.portal.published import Published
from rutinportal.portal.reporting.as_of import published_on
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.migrate import upgrade
from rutinportal.portal.storage.models import Acknowledgement, Membership, Person

PEOPLE, ROUTINES = 3000, 200
CHUNK = 20_000
BODY = "Lyssna, läs och kvittera: rutinens text för provet av bevispaketets storlek."
DECIDED = (dt.date(2026, 1, 5), dt.date(2026, 1, 19))


def write_routines(root: Path, count: int) -> None:
    """`count` approved routines for everybody, written as `submit` and `approve` write them."""
    for n in range(count):
        doc_id, shown = f"RUT-{100 + n:03d}", f"routines/rutin-{n}.md"
        text = (f"---\nid: {doc_id}\ntitle: Rutin nummer {n}\nowner: Verksamhetschef "
                f"hemtjänst\nstatus: draft\naudience: [alla]\nversion: 1\nmandatory: true\n"
                f"---\n\n## Syfte\n\n{BODY}\n")
        text = update_front_matter(text, {"status": "submitted", "submitted_on": DECIDED[0]})
        values, problems = WorkingCopyFields.validate(read_front_matter(text).meta, shown)
        assert not problems
        approval = Approval(DECIDED[0], "Ledningsgruppen Utveckling och stöd", DECIDED[1],
                            "LG U&S 2026-01-19 § 2")
        snapshot, sha = render_snapshot(Content.from_values(values), approval, shown,
                                        read_front_matter(text).body)
        (root / "approved" / doc_id).mkdir(parents=True)
        (root / "approved" / doc_id / "v1.md").write_text(snapshot, encoding="utf-8")
        (root / shown).write_text(update_front_matter(text, {
            "status": "approved", "approved_by": approval.approved_by,
            "approved_on": approval.approved_on, "decision": approval.decision,
            "approved_sha256": sha}), encoding="utf-8")


def fill(url: str, documents) -> None:
    engine = make_engine(url)
    upgrade(engine)
    units = ["hemtjanst", "vard-omsorgsboende", "halso-sjukvard", "funktionsstod", "ifo"]
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)
    try:
        with engine.begin() as connection:
            connection.execute(insert(Person), [
                {"id": n + 1, "person_id": f"p{n:05d}", "name": f"Person {n}",
                 "active": True, "created_at": now, "updated_at": now} for n in range(PEOPLE)])
            connection.execute(insert(Membership), [
                {"person_pk": n + 1, "kind": kind, "audience_id": audience, "since": now}
                for n in range(PEOPLE)
                for kind, audience in (("unit", units[n % len(units)]), ("role", "alla"))])
        rows = ({"person_pk": n + 1, "document_id": d.id, "version": d.version,
                 "sha256": d.sha256, "source": "web",
                 "acknowledged_at": now + dt.timedelta(minutes=n % 1000)}
                for n in range(PEOPLE) for d in documents)
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                with engine.begin() as connection:
                    connection.execute(insert(Acknowledgement), batch)
                batch = []
        if batch:
            with engine.begin() as connection:
                connection.execute(insert(Acknowledgement), batch)
    finally:
        engine.dispose()


def test_3000_people_and_200_routines_export_complete_and_verify(
        empty_repo: Path, database_url: str, tmp_path: Path, key_file: Path) -> None:
    write_routines(empty_repo, ROUTINES)
    catalogue = Catalogue.load(empty_repo)
    assert len(catalogue.snapshots) == ROUTINES
    today = dt.date.today()
    published = published_on(Published({}, {}, {}, [], catalogue.organisation), catalogue,
                             today)
    fill(database_url, sorted(published.documents.values(), key=lambda d: d.id))
    out = tmp_path / "bevis.zip"
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session, out.open("wb") as handle:
            assert session.scalar(select(func.count()).select_from(Acknowledgement)) == \
                PEOPLE * ROUTINES
            result = export(session, handle, root=empty_repo, published=published,
                            catalogue=catalogue, period=Period(None, today), by="test",
                            via="cli", today=today)
    finally:
        engine.dispose()
    assert result.acknowledgements == PEOPLE * ROUTINES
    checked = verify(out, keys.local_public_key(empty_repo))
    assert checked.ok, checked.problems[:5]
    assert (checked.acknowledgements, checked.texts) == (PEOPLE * ROUTINES, ROUTINES)
    with zipfile.ZipFile(out) as bundle:
        with bundle.open("personal.csv") as raw:
            people = io.TextIOWrapper(raw, encoding="utf-8-sig").read().splitlines()
        with bundle.open("beslut.csv") as raw:
            decided = io.TextIOWrapper(raw, encoding="utf-8-sig").read().splitlines()
        with bundle.open("kvittenser.csv") as raw:
            lines = io.TextIOWrapper(raw, encoding="utf-8-sig")
            first, second = lines.readline(), lines.readline()
    assert len(people) == PEOPLE + 1 and len(decided) == ROUTINES + 1
    assert first.startswith("Dokument;Titel;Version;Förnyelse;SHA-256;Personid;Namn;")
    assert second.split(";")[3] == "0" and second.split(";")[5:7] == ["p00000", "Person 0"]
