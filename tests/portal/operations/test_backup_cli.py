"""`rutinportal db backup` and `db restore`: what they print, the files they write, and a
clean Swedish message (exit 1, nothing written) for every mistake an operator can make."""

from __future__ import annotations

import stat

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from rutinportal.cli import main
from rutinportal.portal.storage import migrate
from rutinportal.portal.storage.db import make_engine, masked, normalise_url

from ...conftest import REPO
from ..support import import_demo_roster
from .drill import table_counts

HEAD = migrate.head()


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def refused(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.strip()


@pytest.fixture
def in_use(database_url: str) -> str:
    """A database with the demo roster imported: people, memberships, one import."""
    import_demo_roster(REPO, database_url)
    return database_url


def kind_of_url(url: str) -> str:
    return "SQLite" if url.startswith("sqlite") else "PostgreSQL"


def test_backup_prints_every_table_and_writes_a_private_file(in_use, tmp_path) -> None:
    out = tmp_path / "rutinportal.backup"
    output = ok("db", "backup", "--out", str(out), "--database", in_use)
    first, *tables = output.strip().splitlines()
    assert first.startswith(f"Säkerhetskopian är skriven: {out} ({kind_of_url(in_use)}, "
                            f"schemaversion {HEAD}, ")
    assert first.endswith(f" från {masked(normalise_url(in_use))}. Den innehåller:")
    listed = table_counts(tables)
    assert listed["people"] == "63 rader"
    assert listed["memberships"] == "162 rader"
    assert listed["roster_imports"] == "1 rad"
    assert listed["acknowledgements"] == "0 rader"
    assert not any("alembic_version" in line for line in tables)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    magic = b"SQLite format 3\x00" if in_use.startswith("sqlite") else b"PGDMP"
    assert out.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_restore_into_an_empty_database_and_refuse_a_full_one(in_use, another_database,
                                                              tmp_path) -> None:
    out = tmp_path / "nightly.backup"
    ok("db", "backup", "--out", str(out), "--database", in_use)
    target = another_database("target")
    output = ok("db", "restore", str(out), "--database", target)
    assert output.startswith(f"Säkerhetskopian {out} ({kind_of_url(in_use)}, schemaversion "
                             f"{HEAD}) är inläst i ")
    assert table_counts(output.splitlines())["people"] == "63 rader"

    message = refused("db", "restore", str(out), "--database", target)
    assert message.startswith("Fel: ")
    assert message.endswith(": databasen är inte tom (memberships 162, people 63, "
                            "roster_imports 1). Läs in säkerhetskopian i en tom databas, "
                            "eller ange --force för att ersätta innehållet (det som finns där "
                            "nu går förlorat).")

    forced = ok("db", "restore", str(out), "--database", target, "--force")
    assert forced.startswith("Ersatte det som fanns i ")
    assert ": memberships 162, people 63, roster_imports 1.\n" in forced


def test_a_database_with_only_the_schema_counts_as_empty(in_use, another_database,
                                                        tmp_path) -> None:
    out = tmp_path / "nightly.backup"
    ok("db", "backup", "--out", str(out), "--database", in_use)
    target = another_database("migrated")
    ok("db", "upgrade", "--database", target)  # a portal that started once, with no data
    assert "Ersatte" not in ok("db", "restore", str(out), "--database", target)


def test_an_older_backup_is_brought_up_to_the_current_schema(database_url, another_database,
                                                             tmp_path) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine, "0001")
    engine.dispose()
    out = tmp_path / "old.backup"
    assert "schemaversion 0001" in ok("db", "backup", "--out", str(out), "--database",
                                      database_url)
    output = ok("db", "restore", str(out), "--database", another_database("target"))
    assert output.strip().endswith(f"Schemat är uppdaterat till version {HEAD}.")


def test_a_backup_of_a_schema_this_code_does_not_know_is_refused(in_use, another_database,
                                                                 tmp_path) -> None:
    engine = make_engine(in_use)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    out = tmp_path / "future.backup"
    ok("db", "backup", "--out", str(out), "--database", in_use)
    assert refused("db", "restore", str(out), "--database", another_database("t")) == (
        f"Fel: {out}: säkerhetskopian har schemaversion 9999, som den här versionen av "
        f"Rutinportalen inte känner till (senaste är {HEAD}). Uppdatera Rutinportalen först.")


def test_a_database_that_is_not_the_portals_is_neither_backed_up_nor_restored(
        database_url, tmp_path) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE other (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    out = tmp_path / "other.backup"
    out.write_text("the backup of yesterday")
    message = refused("db", "backup", "--out", str(out), "--database", database_url)
    assert message.endswith(": är ingen databas för Rutinportalen (tabellen alembic_version "
                            "saknas)")
    assert out.read_text() == "the backup of yesterday"  # the file before stays as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in tmp_path.iterdir() if not p.name.startswith("."))


def test_mistakes_with_the_files(tmp_path) -> None:
    database = tmp_path / "portal.sqlite3"
    url = f"sqlite:///{database}"
    ok("db", "upgrade", "--database", url)
    assert refused("db", "backup", "--out", str(tmp_path / "nej" / "x.backup"),
                   "--database", url) == (
        f"Fel: {tmp_path / 'nej' / 'x.backup'}: mappen {tmp_path / 'nej'} finns inte")
    assert refused("db", "backup", "--out", str(tmp_path), "--database", url) == (
        f"Fel: {tmp_path}: är en mapp; ange en fil, t.ex. "
        f"{tmp_path / 'rutinportal-ÅÅÅÅ-MM-DD.backup'}")
    assert refused("db", "backup", "--out", str(database), "--database", url) == (
        f"Fel: {database}: är själva databasen; skriv säkerhetskopian till en annan fil")
    missing = tmp_path / "saknas.sqlite3"
    assert refused("db", "backup", "--out", str(tmp_path / "x"), "--database",
                   f"sqlite:///{missing}") == (
        f"Fel: {missing}: databasen finns inte (ange --database eller RUTINPORTAL_DATABASE)")
    assert not missing.exists()
    assert refused("db", "backup", "--out", str(tmp_path / "x"), "--database",
                   "sqlite://") == (
        "Fel: sqlite://: en databas i minnet kan inte säkerhetskopieras")

    assert refused("db", "restore", str(tmp_path / "ingen.backup"), "--database", url) == (
        f"Fel: {tmp_path / 'ingen.backup'}: filen finns inte")
    notes = tmp_path / "anteckningar.txt"
    notes.write_text("inte en säkerhetskopia", encoding="utf-8")
    empty = tmp_path / "tom.backup"
    empty.touch()
    for file, got in ((notes, "något annat"), (empty, "en tom fil")):
        assert refused("db", "restore", str(file), "--database", url) == (
            f"Fel: {file}: är ingen säkerhetskopia från rutinportal db backup: förväntade en "
            f"SQLite-databas eller en pg_dump-fil i eget format (PGDMP), fick {got}")


def test_the_wrong_kind_of_backup_is_refused_both_ways(postgresql_server, tmp_path) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    postgresql_url = postgresql_server.create_database("wrong_kind")
    for url in (sqlite_url, postgresql_url):
        import_demo_roster(REPO, url)
    ok("db", "backup", "--out", str(tmp_path / "a.sqlite3"), "--database", sqlite_url)
    ok("db", "backup", "--out", str(tmp_path / "a.dump"), "--database", postgresql_url)
    assert refused("db", "restore", str(tmp_path / "a.sqlite3"), "--database",
                   postgresql_url) == (
        f"Fel: {tmp_path / 'a.sqlite3'}: är en säkerhetskopia av en SQLite-databas och kan "
        f"inte läsas in i PostgreSQL-databasen {postgresql_url}. Ange --database med en "
        "SQLite-databas.")
    assert refused("db", "restore", str(tmp_path / "a.dump"), "--database",
                   f"sqlite:///{tmp_path / 'new.sqlite3'}") == (
        f"Fel: {tmp_path / 'a.dump'}: är en säkerhetskopia av en PostgreSQL-databas och kan "
        f"inte läsas in i SQLite-databasen sqlite:///{tmp_path / 'new.sqlite3'}. Ange "
        "--database med en PostgreSQL-databas.")
    assert not (tmp_path / "new.sqlite3").exists()


def test_postgresql_password_goes_to_pg_dump_unprinted(postgresql_server, tmp_path) -> None:
    plain = postgresql_server.create_database("with_password")
    import_demo_roster(REPO, plain)
    secret = plain.replace("postgres@", "postgres:hemligt-ord@")
    output = ok("db", "backup", "--out", str(tmp_path / "a.dump"), "--database", secret)
    assert "hemligt-ord" not in output and "postgres:***@" in output
    unreachable = "postgresql://postgres:hemligt-ord@127.0.0.1:1/ingen"
    message = refused("db", "backup", "--out", str(tmp_path / "b.dump"), "--database",
                      unreachable)
    assert message.startswith("Fel: postgresql+psycopg://postgres:***@127.0.0.1:1/ingen: "
                              "databasen går inte att nå (")
    assert "hemligt-ord" not in message
    assert not (tmp_path / "b.dump").exists()


def test_without_pg_dump_the_operator_is_told_what_to_install(postgresql_server, tmp_path,
                                                              monkeypatch) -> None:
    from rutinportal.portal.operations import postgres_backup

    url = postgresql_server.create_database("no_tools")
    import_demo_roster(REPO, url)
    monkeypatch.setattr(postgres_backup, "DEBIAN_BINARIES", str(tmp_path / "none" / "*"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert refused("db", "backup", "--out", str(tmp_path / "a.dump"), "--database", url) == (
        f"Fel: pg_dump finns inte (sökt i {tmp_path / 'none' / '*'} och PATH). Installera "
        "PostgreSQL:s klientprogram (Debian: apt install postgresql-client) och försök igen.")
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_damaged_postgresql_backup_changes_nothing(postgresql_server, tmp_path) -> None:
    source = postgresql_server.create_database("damaged_source")
    import_demo_roster(REPO, source)
    dump = tmp_path / "a.dump"
    ok("db", "backup", "--out", str(dump), "--database", source)
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(dump.read_bytes()[: dump.stat().st_size * 2 // 3])
    target = postgresql_server.create_database("damaged_target")
    ok("db", "upgrade", "--database", target)
    message = refused("db", "restore", str(damaged), "--database", target)
    assert message == (f"Fel: pg_restore kunde inte läsa {damaged}: pg_restore: error: could "
                       "not read from input file: end of file")
    engine = make_engine(target)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM people")) == 0
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
    finally:
        engine.dispose()


def test_a_postgresql_restore_that_fails_halfway_changes_nothing(postgresql_server,
                                                                 tmp_path) -> None:
    """The old tables are dropped and the backup read in one transaction: when the backup
    cannot be created in the target (here a sequence of the same name that no table owns),
    the target keeps everything it had."""
    source = postgresql_server.create_database("halfway_source")
    # Large enough that psql stops while pg_restore is still writing (more than a pipe holds).
    many = tmp_path / "many.csv"
    many.write_text("personid;namn;enheter\n" + "".join(
        f"p{n:05d};Person {n};hemtjanst\n" for n in range(3000)), encoding="utf-8")
    import_demo_roster(REPO, source, many)
    dump = tmp_path / "a.dump"
    ok("db", "backup", "--out", str(dump), "--database", source)
    target = postgresql_server.create_database("halfway_target")
    roster = tmp_path / "one.csv"
    roster.write_text("personid;namn\nanna.lind;Anna Lind\n", encoding="utf-8")
    import_demo_roster(REPO, target, roster)
    engine = make_engine(target)
    with engine.begin() as connection:
        connection.execute(text("ALTER SEQUENCE people_id_seq OWNED BY NONE"))
    engine.dispose()

    message = refused("db", "restore", str(dump), "--database", target, "--force")
    assert message.startswith(f"Fel: Återläsningen till {masked(normalise_url(target))} "
                              "misslyckades och ändrade ingenting: ")
    assert 'relation "people_id_seq" already exists' in message
    engine = make_engine(target)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM people")) == 1
            assert connection.scalar(text("SELECT count(*) FROM roster_imports")) == 1
    finally:
        engine.dispose()


def test_the_database_from_the_environment(in_use, another_database, tmp_path) -> None:
    out = tmp_path / "from-env.backup"
    result = run("db", "backup", "--out", str(out), env={"RUTINPORTAL_DATABASE": in_use})
    assert result.exit_code == 0, result.output
    assert f" från {masked(normalise_url(in_use))}. " in result.output
    target = another_database("from_env")
    result = run("db", "restore", str(out), env={"RUTINPORTAL_DATABASE": target})
    assert result.exit_code == 0, result.output
    assert f"är inläst i {masked(normalise_url(target))}:" in result.output
