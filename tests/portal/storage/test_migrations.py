"""Schema migrations on SQLite and PostgreSQL: complete, repeatable, and in step with the ORM."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select

from rutinportal.portal.storage import migrate
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import Base, Person

TABLES = {"people", "memberships", "acknowledgements", "quiz_attempts", "roster_imports",
          "sessions", "issued_attempts"}
HEAD = "0002"


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


def test_0002_adds_sessions_and_issued_attempts_to_a_database_in_use(database_url: str):
    """A database made by 0001, with people in it, gains the two tables and keeps its data;
    and 0002 can be taken back."""
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0001")
        with session_factory(engine)() as session:
            session.add(Person(person_id="anna.lind", name="Anna Lind"))
            session.commit()
        assert "sessions" not in inspect(engine).get_table_names()
        migrate.upgrade(engine)
        assert {"sessions", "issued_attempts"} <= set(inspect(engine).get_table_names())
        assert migrate.current(engine) == HEAD
        with session_factory(engine)() as session:
            assert session.scalar(select(func.count()).select_from(Person)) == 1
        migrate.downgrade(engine, "0001")
        assert not {"sessions", "issued_attempts"} & set(inspect(engine).get_table_names())
        assert migrate.current(engine) == "0001"
    finally:
        engine.dispose()
