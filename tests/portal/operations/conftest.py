"""Fixtures for the operations tests: a second, empty database beside `database_url`."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

_numbers = itertools.count(1)


@pytest.fixture
def another_database(request: pytest.FixtureRequest, database_url: str,
                     tmp_path: Path) -> Callable[[str], str]:
    """`another_database(name)`: a new empty database of the same kind as `database_url`."""

    def create(name: str) -> str:
        if make_url(database_url).get_backend_name() == "sqlite":
            return f"sqlite:///{(tmp_path / f'{name}.sqlite3').as_posix()}"
        server = request.getfixturevalue("postgresql_server")
        return server.create_database(f"{name}_{next(_numbers)}")

    return create
