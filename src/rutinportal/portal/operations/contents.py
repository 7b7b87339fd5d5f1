"""What a database holds, table by table: the rows a backup carried and a restore brought.

Generic over the schema (read from the database, not from the models), so a table a later
migration adds is counted without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, column, func, inspect, select, table

# Alembic's bookkeeping: one row naming the schema version, never data.
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class Contents:
    rows: dict[str, int]  # table -> number of rows, by table name
    revision: str | None  # the schema version (Alembic), None when there is none

    @property
    def data_tables(self) -> dict[str, int]:
        return {name: n for name, n in self.rows.items() if name != VERSION_TABLE}

    @property
    def empty(self) -> bool:
        """No data: a database with only an (empty) schema counts as empty."""
        return not any(self.data_tables.values())

    def summary(self) -> str:
        """The tables that hold rows, for a message: `people 60, acknowledgements 120`."""
        held = [f"{name} {n}" for name, n in self.data_tables.items() if n]
        return ", ".join(held) if held else "inga rader"

    def lines(self) -> list[str]:
        """One line per table, for a report."""
        width = max((len(name) for name in self.data_tables), default=0)
        return [f"  {name:<{width}}  {n:>9} {'rad' if n == 1 else 'rader'}"
                for name, n in self.data_tables.items()]


def read_contents(connection: Connection) -> Contents:
    """Every table of the connection's default schema with its row count, and the revision."""
    names = sorted(inspect(connection).get_table_names())
    rows = {name: connection.scalar(select(func.count()).select_from(table(name))) or 0
            for name in names}
    revision = None
    if VERSION_TABLE in rows:
        revision = connection.scalar(select(column("version_num"))
                                     .select_from(table(VERSION_TABLE)))
    return Contents(rows, revision)


def database_contents(engine: Engine) -> Contents:
    with engine.connect() as connection:
        return read_contents(connection)
