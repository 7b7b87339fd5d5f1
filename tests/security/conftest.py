"""The security suite (issue 10): one module per hole an outside test found, each test written
as the attack was made, and each failing on the code from before the fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..portal.support import clients_of, import_demo_roster


@pytest.fixture(autouse=True)
def no_portal_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings only from what each test gives, never from the shell running the tests."""
    for name in list(os.environ):
        if name.startswith("RUTINPORTAL_") and name != "RUTINPORTAL_ROOT":
            monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture
def portal(example, tmp_path):
    """`portal(**options)`: a client of a portal on a fresh SQLite database with the demo
    roster (dev mode unless `auth=` says otherwise)."""
    root, site = example
    url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    import_demo_roster(root, url)
    with clients_of(root, site, url) as make:
        yield make
