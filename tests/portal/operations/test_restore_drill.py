"""The restore drill, on SQLite and on PostgreSQL: a database in use (every kind of row the
portal writes) is backed up while a real portal process keeps acknowledging, restored into a
fresh database, and compared with the original table by table, row by row — every table of
the schema, read from the database itself — and by the registers of evidence."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import threading
from pathlib import Path

import httpx2
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from rutinportal.cli import main
from rutinportal.portal.receipts.registers import read_registers
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import Acknowledgement, Person
from rutinportal.testing.server import PortalProcess
from rutinportal.testing.smtp import SmtpServer

from ...conftest import REPO
from ..support import (csrf, import_demo_roster, make_client, post, published_version, sign_in,
                       start_quiz, take_quiz)
from .drill import sequences, table_counts, table_rows

pytestmark = pytest.mark.build

# Every table the portal writes today must hold rows before the drill, or the drill proves
# nothing about it. A table a later migration adds is compared all the same (table_rows reads
# the schema from the database); seed it in `seed` and name it here.
SEEDED = {"people", "memberships", "roster_imports", "sessions", "issued_attempts",
          "acknowledgements", "quiz_attempts", "alembic_version", "apt_meetings",
          "apt_attendance", "person_exceptions", "notify_runs", "notifications", "notice_marks",
          "evidence_exports"}
QUIZ = "siths-kort"
TOKEN = "drill-csrf"


def cli(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def seed(root: Path, site: Path, url: str, smtp: SmtpServer) -> None:
    """A database as it is after some use, written by the portal and the CLI themselves."""
    import_demo_roster(root, url)
    with make_client(root, site, url) as client:
        sign_in(client, "david.berg")
        assert post(client, "/api/acknowledgements",
                    {"document_id": "RUT-001",
                     "version": published_version(site, "RUT-001")}).status_code == 201
        assert take_quiz(client, QUIZ).status_code == 201
        assert take_quiz(client, QUIZ, right=False).status_code == 201
        start_quiz(client, QUIZ)  # handed out, never answered
        sign_in(client, "lena.nyberg")  # chef för hemtjänst: a workplace meeting
        meeting = client.post("/uppfoljning/enheter/hemtjanst/apt/",
                              data={"csrf_token": csrf(client), "held_on": str(dt.date.today()),
                                    "dokument": ["RUT-002"], "deltagare": ["anna.lind"]})
        assert meeting.status_code == 303, meeting.text
        client.app.state.engine.dispose()
    cli("person", "away", "fatima.ali", "--until", str(dt.date.today() + dt.timedelta(days=90)),
        "--reason", "Föräldraledig", "--database", url)
    cli("notify", "--database", url, "--site-dir", str(site),
        env={"RUTINPORTAL_ROOT": str(root), **smtp.env()})
    assert smtp.inbox.messages, "notify sent nothing: the drill would not hold its tables"
    with tempfile.TemporaryDirectory() as folder:  # an evidence export is recorded
        cli("evidence", "export", "--out", f"{folder}/bevis.zip", "--database", url,
            "--site-dir", str(site), env={"RUTINPORTAL_ROOT": str(root),
                                          "RUTINPORTAL_EVIDENCE_KEY": f"{folder}/nyckel.pem"})


def people(root: Path) -> list[str]:
    with (REPO / "demo/personal.csv").open(encoding="utf-8-sig") as handle:
        return [row["personid"] for row in csv.DictReader(handle, delimiter=";")]


class Writer(threading.Thread):
    """Acknowledges one published document after another through a real portal process, as
    staff would, until told to stop; keeps what was confirmed (2xx) and what failed."""

    def __init__(self, base: str, pairs: list[tuple[str, str, int]]):
        super().__init__(daemon=True)
        self.base, self.pairs = base, pairs
        self.confirmed: list[tuple[str, str, int]] = []
        self.failed: list[str] = []
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        with httpx2.Client(base_url=self.base, timeout=30) as http:
            for person, document, version in self.pairs:
                if self.stop.is_set():
                    return
                answer = http.post("/api/acknowledgements",
                                   json={"document_id": document, "version": version},
                                   headers={"X-Remote-User": person, "X-CSRF-Token": TOKEN,
                                            "Cookie": f"rp_csrf={TOKEN}"})
                with self.progress:
                    if 200 <= answer.status_code < 300:
                        self.confirmed.append((person, document, version))
                    else:
                        self.failed.append(f"{person} {document}: {answer.status_code}")
                    self.progress.notify_all()

    def wait_for(self, count: int) -> None:
        """Until `count` acknowledgements are confirmed (or the writer has ended)."""
        with self.progress:
            self.progress.wait_for(lambda: len(self.confirmed) >= count or not self.is_alive()
                                   or self.failed, timeout=120)


def acknowledgement_keys(engine: Engine) -> set[tuple[str, str, int]]:
    with session_factory(engine)() as session:
        return {(e.person_id, e.document_id, e.version)
                for e in read_registers(session).acknowledgements}


def test_backup_under_write_load_restores_every_row(built_example, database_url,
                                                    another_database, smtp_server,
                                                    tmp_path) -> None:
    root, site = built_example.root, built_example.site
    seed(root, site, database_url, smtp_server)
    pairs = [(person, doc["id"], doc["version"]) for doc in built_example.catalog.values()
             for person in people(root)]
    backup_file = tmp_path / "under-load.backup"

    portal = PortalProcess(root, site, database_url, tmp_path / "portal.log")
    with portal:
        writer = Writer(portal.base, pairs)
        writer.start()
        writer.wait_for(20)
        confirmed_before = set(writer.confirmed)
        cli("db", "backup", "--out", str(backup_file), "--database", database_url)
        writer.wait_for(len(confirmed_before) + 40)  # the portal kept writing after it
        writer.stop.set()
        writer.join(60)
    assert writer.failed == []
    assert len(writer.confirmed) >= len(confirmed_before) + 40

    source, restored_url = make_engine(database_url), another_database("restored")
    output = cli("db", "restore", str(backup_file), "--database", restored_url)
    restored = make_engine(restored_url)
    try:
        before, after = table_rows(source), table_rows(restored)
        assert set(after) == set(before) and SEEDED <= {t for t, rows in before.items() if rows}
        # A consistent moment during the load: everything confirmed before the backup began,
        # and nothing that the original does not hold, row for row, in every table.
        for table, rows in after.items():
            assert set(rows) <= set(before[table]), table
            if table != "acknowledgements":
                assert rows == before[table], table
        kept = acknowledgement_keys(restored)
        assert confirmed_before <= kept
        assert kept < acknowledgement_keys(source)
        assert table_counts(output.splitlines())["acknowledgements"] == \
            f"{len(after['acknowledgements'])} rader"
    finally:
        source.dispose()
        restored.dispose()


def test_a_restored_database_equals_its_original_row_by_row(built_example, database_url,
                                                           another_database, smtp_server,
                                                           tmp_path) -> None:
    root, site = built_example.root, built_example.site
    seed(root, site, database_url, smtp_server)
    backup_file = tmp_path / "nightly.backup"
    cli("db", "backup", "--out", str(backup_file), "--database", database_url)
    restored_url = another_database("restored")
    cli("db", "restore", str(backup_file), "--database", restored_url)

    source, restored = make_engine(database_url), make_engine(restored_url)
    try:
        assert table_rows(restored) == table_rows(source)
        assert sequences(restored) == sequences(source)
        with session_factory(source)() as a, session_factory(restored)() as b:
            registers = read_registers(a)
            assert registers.acknowledgements and registers.attempts
            assert read_registers(b) == registers
        # New rows after the restore get new ids: nothing collides with a restored row.
        with session_factory(restored)() as session:
            person = Person(person_id="ny.person", name="Ny Person")
            session.add(person)
            session.flush()
            session.add(Acknowledgement(person_pk=person.id, document_id="RUT-001", version=2,
                                        sha256="0" * 64, source="web"))
            session.commit()
            assert person.id > max(int(row[0]) for row in table_rows(source)["people"])
    finally:
        source.dispose()
        restored.dispose()
