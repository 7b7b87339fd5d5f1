"""Deployment fixtures: Debian's nginx with the shipped configuration in front of two portal
processes over one PostgreSQL (the portal tests' `postgresql_server`, reused here)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rutinportal.testing import nginx
from rutinportal.testing.server import PortalProcess

from ..portal.conftest import postgresql_server  # noqa: F401 - the fixture, shared
from ..portal.support import import_demo_roster, write_roster

PEOPLE = 1000


def unavailable(what: str, reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} kan inte köras i CI: {reason}", pytrace=False)
    pytest.skip(f"{what} hoppas över: {reason}")


@pytest.fixture(scope="session")
def nginx_binary() -> str:
    try:
        return nginx.binary()
    except nginx.Unavailable as exc:
        unavailable("Testerna av nginx-konfigurationen", str(exc))


def people(count: int = PEOPLE) -> list[str]:
    return [f"p{n:04d}" for n in range(count)]


@dataclass
class Stack:
    """nginx (shipped configuration) → two portal processes → one PostgreSQL."""

    proxy: nginx.NginxProcess
    portals: list[PortalProcess]
    database: str
    site: Path

    @property
    def base(self) -> str:
        return self.proxy.base

    def verify(self) -> str:
        return str(self.proxy.layout.certificate)


def start_together(portals: list[PortalProcess]) -> None:
    """Start the processes at the same moment, as systemd does at boot: both migrate a fresh
    database at once."""
    errors: list[BaseException] = []

    def start(portal: PortalProcess) -> None:
        try:
            portal.start()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(p,)) for p in portals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        for portal in portals:
            portal.stop()
        raise errors[0]


@pytest.fixture(scope="module")
def stack(nginx_binary, built_example, postgresql_server,  # noqa: F811
          tmp_path_factory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("deploy")
    database = postgresql_server.create_database(f"deploy_{folder.name}")
    roster = write_roster(folder / "personal.csv",
                          [(p, f"Person {p}", "", "hemtjanst", "", "") for p in people()] +
                          [("karin.ostberg", "Karin Östberg", "", "hemtjanst", "chefer",
                            "hemtjanst")])
    portals = [PortalProcess(built_example.root, built_example.site, database,
                             folder / f"portal-{n}.log") for n in (1, 2)]
    start_together(portals)
    # The roster after the start: the processes made the schema (one at a time).
    import_demo_roster(built_example.root, database, roster)
    layout = nginx.layout(folder / "nginx", built_example.site, [p.port for p in portals])
    nginx.render_snippets(layout, people() + ["karin.ostberg"])
    write_csp(built_example.site, layout.csp)
    proxy = nginx.NginxProcess(layout)
    try:
        proxy.start()
    except BaseException:
        for portal in portals:
            portal.stop()
        raise
    try:
        yield Stack(proxy, portals, database, built_example.site)
    finally:
        proxy.stop()
        for portal in portals:
            portal.stop()


def write_csp(site: Path, out: Path) -> None:
    """As rutinportal-build.service does after a build: `rutinportal deploy nginx-csp`."""
    from click.testing import CliRunner

    from rutinportal.cli import main

    result = CliRunner().invoke(main, ["deploy", "nginx-csp", "--site-dir", str(site),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
