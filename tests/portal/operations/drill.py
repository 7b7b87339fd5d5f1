"""The restore drill's comparisons: every table of a database, row by row, read generically
(reflected from the database, so tables added by later migrations are compared too), and on
PostgreSQL every sequence."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from sqlalchemy import Engine, MetaData, inspect, select, text


def _canonical(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return repr(value)


def table_rows(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    """Every table with all its rows (every column, canonical text), in primary-key order."""
    metadata = MetaData()
    metadata.reflect(engine)
    rows = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows[name] = [tuple(_canonical(v) for v in row)
                          for row in connection.execute(select(table).order_by(*order))]
    return rows


def sequences(engine: Engine) -> dict[str, tuple[Any, ...]]:
    """PostgreSQL: each sequence of the schema with its last value (nothing on SQLite)."""
    if engine.dialect.name != "postgresql":
        return {}
    with engine.connect() as connection:
        names = inspect(connection).get_sequence_names()
        return {name: tuple(connection.execute(
                    text(f'SELECT last_value, is_called FROM "{name}"')).one())
                for name in names}


def table_counts(lines: list[str]) -> dict[str, str]:
    """The per-table lines of a backup or restore report: name -> "N rader"."""
    found = (re.fullmatch(r"  (\w+) +(\d+ rad(?:er)?)", line) for line in lines)
    return {m[1]: m[2] for m in found if m}
