"""Schema migrations on SQLite and PostgreSQL: complete, repeatable, and in step with the ORM."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
import datetime as dt

import pytest
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from rutinportal.errors import UserError

from rutinportal.portal.storage import migrate
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import Base, Person

TABLES = {"people", "memberships", "acknowledgements", "quiz_attempts", "roster_imports",
          "sessions", "issued_attempts", "apt_meetings", "apt_attendance", "person_exceptions",
          "notify_runs", "notifications", "notice_marks", "evidence_exports"}
NEW_IN_0003 = {"apt_meetings", "apt_attendance", "person_exceptions", "notify_runs",
               "notifications", "notice_marks"}
HEAD = "0007"


def _add_anna(connection, created: dt.datetime) -> None:
    """Anna Lind, person 1, as any schema since 0001 stores a person (plain SQL: the ORM
    model may have columns an older schema lacks)."""
    connection.execute(text(
        "INSERT INTO people (id, person_id, name, active, created_at, updated_at) "
        "VALUES (1, 'anna.lind', 'Anna Lind', :yes, :at, :at)"), {"at": created, "yes": True})


def test_the_expected_tables_are_modelled():
    assert set(Base.metadata.tables) == TABLES


def test_upgrade_on_an_empty_database_creates_all_tables(database_url: str):
    engine = make_engine(database_url)
    try:
        assert inspect(engine).get_table_names() == []
        assert migrate.current(engine) is None
        migrate.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}
        assert migrate.current(engine) == HEAD
    finally:
        engine.dispose()


def _schema(engine: Engine) -> dict[str, tuple]:
    inspector = inspect(engine)
    return {table: (sorted(c["name"] for c in inspector.get_columns(table)),
                    sorted(str(i["name"]) for i in inspector.get_indexes(table)))
            for table in inspector.get_table_names()}


def test_running_upgrade_twice_is_a_no_op(engine: Engine):
    with session_factory(engine)() as session:
        session.add(Person(person_id="anna.lind", name="Anna Lind"))
        session.commit()
    before = _schema(engine)

    migrate.upgrade(engine)

    assert _schema(engine) == before
    assert migrate.current(engine) == HEAD
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1


def test_the_models_match_the_migrated_schema(engine: Engine):
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diffs == []


def add_anna(engine: Engine) -> None:
    """A person, written as the schema of an older revision has them (not the ORM's)."""
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO people (person_id, name, active, created_at, updated_at) "
            "VALUES ('anna.lind', 'Anna Lind', :yes, :at, :at)"),
            {"yes": True, "at": dt.datetime(2025, 1, 15, 8, 30, tzinfo=dt.timezone.utc)})


def test_0002_adds_sessions_and_issued_attempts_to_a_database_in_use(database_url: str):
    """A database made by 0001, with people in it, gains the two tables and keeps its data;
    and 0002 can be taken back."""
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0001")
        add_anna(engine)
        assert "sessions" not in inspect(engine).get_table_names()
        migrate.upgrade(engine, "0002")
        assert {"sessions", "issued_attempts"} <= set(inspect(engine).get_table_names())
        assert migrate.current(engine) == "0002"
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM people")).scalar() == 1
        migrate.downgrade(engine, "0001")
        assert not {"sessions", "issued_attempts"} & set(inspect(engine).get_table_names())
        assert migrate.current(engine) == "0001"
    finally:
        engine.dispose()


def test_0003_dates_memberships_and_adds_the_campaign_tables_to_a_database_in_use(
        database_url: str):
    """A database at 0002 with people, memberships and an acknowledgement: each membership
    gets its person's `created_at` as `since`, the acknowledgement keeps its data with no
    meeting, the new tables come; and 0003 can be taken back, the data still there."""
    created = dt.datetime(2025, 1, 15, 8, 30, tzinfo=dt.timezone.utc)
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0002")
        with engine.begin() as connection:
            _add_anna(connection, created)
            connection.execute(text(
                "INSERT INTO memberships (person_pk, kind, audience_id) VALUES "
                "(1, 'unit', 'hemtjanst'), (1, 'role', 'alla')"))
            connection.execute(text(
                "INSERT INTO acknowledgements (person_pk, document_id, version, sha256, "
                "acknowledged_at, source) VALUES (1, 'RUT-001', 2, :sha, :at, 'web')"),
                {"sha": "a" * 64, "at": created})
        migrate.upgrade(engine)
        assert migrate.current(engine) == HEAD
        assert NEW_IN_0003 <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            since = connection.execute(text(
                "SELECT audience_id, since FROM memberships ORDER BY audience_id")).all()
            ack = connection.execute(text(
                "SELECT document_id, version, source, meeting_id FROM acknowledgements")).one()
        assert [a for a, _ in since] == ["alla", "hemtjanst"]
        for _, moment in since:
            moment = moment if isinstance(moment, dt.datetime) else \
                dt.datetime.fromisoformat(str(moment))
            assert moment.replace(tzinfo=moment.tzinfo or dt.timezone.utc) == created
        assert tuple(ack) == ("RUT-001", 2, "web", None)
        migrate.downgrade(engine, "0002")
        assert migrate.current(engine) == "0002"
        assert not NEW_IN_0003 & set(inspect(engine).get_table_names())
        columns = {c["name"] for c in inspect(engine).get_columns("memberships")}
        assert "since" not in columns
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM memberships")).scalar() == 2
            assert connection.execute(text(
                "SELECT count(*) FROM acknowledgements")).scalar() == 1
    finally:
        engine.dispose()


def test_0004_adds_the_export_log_to_a_database_in_use_and_can_be_taken_back(
        database_url: str):
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0003")
        add_anna(engine)
        assert "evidence_exports" not in inspect(engine).get_table_names()
        migrate.upgrade(engine, "0004")
        assert migrate.current(engine) == "0004"
        columns = {c["name"] for c in inspect(engine).get_columns("evidence_exports")}
        assert columns == {"id", "export_id", "kind", "exported_by", "via", "period_from",
                           "period_to", "sha256", "acknowledgements", "exported_at"}
        migrate.downgrade(engine, "0003")
        assert "evidence_exports" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM people")).scalar() == 1
    finally:
        engine.dispose()


def test_0006_adds_job_titles_to_a_database_in_use_and_can_be_taken_back(database_url: str):
    """People imported before 0006 have no title; a title is kept; 0006 can be taken back,
    the people still there."""
    created = dt.datetime(2025, 1, 15, 8, 30, tzinfo=dt.timezone.utc)
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0005")
        with engine.begin() as connection:
            _add_anna(connection, created)
        assert "title" not in {c["name"] for c in inspect(engine).get_columns("people")}
        migrate.upgrade(engine, "0006")
        assert migrate.current(engine) == "0006"
        title = next(c for c in inspect(engine).get_columns("people") if c["name"] == "title")
        assert title["nullable"] and title["type"].length == 200
        with session_factory(engine)() as session:
            anna = session.scalar(select(Person))
            assert (anna.person_id, anna.title) == ("anna.lind", None)
            anna.title = "Verksamhetschef hemtjänst"
            session.commit()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT title FROM people")).scalar() == \
                "Verksamhetschef hemtjänst"
        migrate.downgrade(engine, "0005")
        assert migrate.current(engine) == "0005"
        assert "title" not in {c["name"] for c in inspect(engine).get_columns("people")}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT person_id FROM people")).all() == [
                ("anna.lind",)]
    finally:
        engine.dispose()


def _indexes(engine: Engine, table: str) -> dict[str, list[str]]:
    return {i["name"]: i["column_names"] for i in inspect(engine).get_indexes(table)}


def test_0005_widens_the_indexes_the_dashboard_reads_and_keeps_the_data(database_url: str):
    """A database at 0004 with an acknowledgement and a quiz attempt: 0005 replaces the
    (document, version) and (person, quiz) indexes by ones that hold what the dashboard
    reads, and adds one for the passed attempts of a quiz version; taken back, the old
    indexes return. The rows stay."""
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0004")
        with engine.begin() as connection:
            _add_anna(connection, at)
            connection.execute(text(
                "INSERT INTO acknowledgements (person_pk, document_id, version, sha256, "
                "acknowledged_at, source) VALUES (1, 'RUT-001', 2, :sha, :at, 'web')"),
                {"sha": "a" * 64, "at": at})
            connection.execute(text(
                "INSERT INTO quiz_attempts (person_pk, quiz_id, quiz_version, answers, score, "
                "passed, attempted_at) VALUES (1, 'siths-kort', 1, '{}', 1.0, :yes, :at)"),
                {"at": at, "yes": True})
        assert _indexes(engine, "acknowledgements")["ix_ack_document"] == \
            ["document_id", "version"]
        migrate.upgrade(engine)
        assert migrate.current(engine) == HEAD
        acks, attempts = _indexes(engine, "acknowledgements"), _indexes(engine, "quiz_attempts")
        assert "ix_ack_document" not in acks and "ix_attempt_person_quiz" not in attempts
        assert acks["ix_ack_document_person"] == \
            ["document_id", "version", "person_pk", "acknowledged_at", "meeting_id"]
        assert attempts["ix_attempt_series"] == \
            ["person_pk", "quiz_id", "attempted_at", "id", "quiz_version", "passed"]
        assert attempts["ix_attempt_passed"] == ["quiz_id", "quiz_version", "passed", "person_pk"]
        migrate.downgrade(engine, "0004")
        assert migrate.current(engine) == "0004"
        assert _indexes(engine, "acknowledgements")["ix_ack_document"] == \
            ["document_id", "version"]
        assert _indexes(engine, "quiz_attempts") == \
            {"ix_attempt_person_quiz": ["person_pk", "quiz_id"]}
        with engine.connect() as connection:
            for table in ("acknowledgements", "quiz_attempts"):
                assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
    finally:
        engine.dispose()


def _uniques(engine: Engine) -> list[list[str]]:
    return sorted(u["column_names"] for u in inspect(engine).get_unique_constraints(
        "acknowledgements"))


def _ack(connection, renewal: int | None = None) -> None:
    columns, values = "", ""
    if renewal is not None:
        columns, values = ", renewal", f", {renewal}"
    connection.execute(text(
        "INSERT INTO acknowledgements (person_pk, document_id, version, sha256, "
        f"acknowledged_at, source{columns}) VALUES (1, 'RUT-001', 2, :sha, :at, 'web'{values})"),
        {"sha": "a" * 64, "at": dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)})


def test_0007_numbers_the_renewals_of_a_version_and_is_taken_back_only_without_them(
        database_url: str):
    """A database at 0006 with an acknowledgement: 0007 makes it renewal 0 and lets the same
    person and version have renewal 1 (but never two of one number); the downgrade refuses
    while a renewal is stored, in Swedish, changing nothing, and takes the column back once
    there is none."""
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0006")
        with engine.begin() as connection:
            _add_anna(connection, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
            _ack(connection)
        assert _uniques(engine) == [["person_pk", "document_id", "version"]]
        migrate.upgrade(engine)
        assert migrate.current(engine) == HEAD
        assert _uniques(engine) == [["person_pk", "document_id", "version", "renewal"]]
        with engine.begin() as connection:
            assert connection.execute(text(
                "SELECT document_id, version, renewal FROM acknowledgements")).all() == \
                [("RUT-001", 2, 0)]
            _ack(connection, renewal=1)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _ack(connection, renewal=1)

        with pytest.raises(UserError) as refused:
            migrate.downgrade(engine, "0006")
        assert refused.value.message == (
            "Databasen kan inte tas tillbaka före version 0007: den har 1 förnyade kvittenser "
            "(kolumnen renewal i tabellen acknowledgements), och det äldre schemat har ingen "
            "plats för dem. De är bevis och tas inte bort. Ingenting har ändrats.")
        assert migrate.current(engine) == HEAD
        with engine.connect() as connection:
            assert connection.execute(text(
                "SELECT renewal FROM acknowledgements ORDER BY renewal")).scalars().all() == \
                [0, 1]

        with engine.begin() as connection:  # (only a test may delete a record)
            connection.execute(text("DELETE FROM acknowledgements WHERE renewal = 1"))
        migrate.downgrade(engine, "0006")
        assert migrate.current(engine) == "0006"
        assert "renewal" not in {c["name"] for c in inspect(engine).get_columns(
            "acknowledgements")}
        assert _uniques(engine) == [["person_pk", "document_id", "version"]]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _ack(connection)  # the old constraint is back
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM acknowledgements")).scalar() == 1
        migrate.upgrade(engine)
        assert migrate.current(engine) == HEAD
    finally:
        engine.dispose()
