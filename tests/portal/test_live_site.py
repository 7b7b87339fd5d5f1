"""The portal follows every build: a new build is picked up whole, without a restart, by every
worker process, and the site is never half-written or missing while it happens."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.portal.live_site import CHECK_EVERY, LiveSite, Site
from rutinportal.site.build import build_site
from rutinportal.testing.server import PortalProcess

from ..conftest import routine
from .support import import_demo_roster

NEW = "RUT-901"


# -- one process: when it looks, and what it does with a build it cannot load ----------------

class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def fake_build(parent: Path, name: str) -> Path:
    folder = parent / name
    folder.mkdir()
    (folder / "catalog.json").write_text(json.dumps({"name": name}), encoding="utf-8")
    return folder


def point(link: Path, target: Path) -> None:
    temporary = link.with_name(".link")
    temporary.symlink_to(target.name)
    os.replace(temporary, link)


def test_a_process_looks_at_most_once_a_second_and_switches_whole(tmp_path) -> None:
    first, second = fake_build(tmp_path, "b1"), fake_build(tmp_path, "b2")
    link = tmp_path / "site"
    point(link, first)
    loads: list[Path] = []

    def loader(root: Path, site_dir: Path) -> Site:
        from rutinportal.portal.live_site import _marker

        marker = _marker(site_dir)
        loads.append(Path(marker[0]))
        return Site(Path(marker[0]), None, (), marker)  # type: ignore[arg-type]

    clock = Clock()
    live = LiveSite(tmp_path, link, loader, clock)
    assert live.current().directory == first
    point(link, second)
    clock.now += CHECK_EVERY / 2
    assert live.current().directory == first  # not looked yet
    clock.now += CHECK_EVERY
    assert live.current().directory == second
    clock.now += CHECK_EVERY
    assert live.current().directory == second
    assert loads == [first, second]  # unchanged: not loaded again


def test_a_build_that_cannot_be_loaded_leaves_the_previous_one_served(tmp_path, caplog) -> None:
    first, second = fake_build(tmp_path, "b1"), fake_build(tmp_path, "b2")
    link = tmp_path / "site"
    point(link, first)
    calls = []

    def loader(root: Path, site_dir: Path) -> Site:
        from rutinportal.portal.live_site import _marker

        marker = _marker(site_dir)
        calls.append(marker[0])
        if marker[0].endswith("b2"):
            raise ValueError("a broken quiz file")
        return Site(Path(marker[0]), None, (), marker)  # type: ignore[arg-type]

    clock = Clock()
    live = LiveSite(tmp_path, link, loader, clock)
    point(link, second)
    for _ in range(3):
        clock.now += CHECK_EVERY
        assert live.current().directory == first
    assert len(calls) == 2  # the broken build was tried once, not every second
    assert "could not be loaded" in caplog.text


# -- real portal processes: two workers, a build while they run --------------------------------

def fetch(base: str, path: str, person: str = "david.berg", data: dict | None = None):
    request = urllib.request.Request(
        base + path, headers={"X-Remote-User": person, "Content-Type": "application/json"},
        data=json.dumps(data).encode() if data is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def published_ids(base: str) -> set[str]:
    status, body = fetch(base, "/catalog.json")
    assert status == 200
    return {d["id"] for d in json.loads(body)["documents"]}


def wait_until(condition, timeout: float = 60.0) -> None:
    """Poll (not a timing): fails only when `condition` never holds within `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the portal did not follow the build"
        time.sleep(0.1)


@pytest.mark.build
def test_a_running_portal_serves_a_new_build_without_a_restart(example_repo, database_url,
                                                               tmp_path) -> None:
    site = build_site(example_repo, example_repo / "site")
    assert site.is_symlink()
    import_demo_roster(example_repo, database_url)
    with PortalProcess(example_repo, site, database_url, tmp_path / "portal.log",
                       workers=2) as portal:
        assert NEW not in published_ids(portal.base)
        status, body = fetch(portal.base, "/api/acknowledgements",
                             data={"document_id": NEW, "version": 1})
        assert status == 422, body

        # The coordinator's loop, while the portal runs: a new routine approved and built.
        routine(example_repo, slug="ny-rutin", id=NEW, title="En ny rutin")
        runner = CliRunner()
        for command in (["submit", NEW],
                        ["approve", NEW, "--by", "lg-us",
                         "--decision", "LG U&S 2026-12-01 § 1"]):
            result = runner.invoke(main, command)
            assert result.exit_code == 0, result.output
        build_site(example_repo, example_repo / "site")

        # Every worker: many requests in a row, all on the new build (the kernel spreads
        # them over both processes).
        streak = [0]

        def followed() -> bool:
            streak[0] = streak[0] + 1 if NEW in published_ids(portal.base) else 0
            return streak[0] >= 30

        wait_until(followed)
        for _ in range(10):
            status, body = fetch(portal.base, "/api/acknowledgements",
                                 data={"document_id": NEW, "version": 1})
            assert status in (200, 201), body
        status, body = fetch(portal.base, "/min-sida/")
        assert status == 200 and "En ny rutin" in body.decode()
        status, body = fetch(portal.base, "/rutiner/ny-rutin/")
        assert status == 200 and NEW in body.decode()


@pytest.mark.build
def test_a_build_replaces_the_site_in_one_step_and_keeps_the_previous(example_repo) -> None:
    site = build_site(example_repo, example_repo / "site")
    first = site.resolve()
    build_site(example_repo, example_repo / "site")
    second = site.resolve()
    build_site(example_repo, example_repo / "site")
    third = site.resolve()
    assert len({first, second, third}) == 3
    assert not first.exists() and second.exists() and third.exists()  # the one before stays
    assert os.readlink(site) == os.path.relpath(third, site.parent)  # moves with the repo
    preview = build_site(example_repo, preview=True)
    build_site(example_repo, example_repo / "site")
    assert preview.resolve().exists()  # the site's builds are not the preview's
    assert (site / "catalog.json").exists() and (site / "csp.json").exists()


@pytest.mark.build
def test_a_site_built_before_builds_were_versioned_is_taken_over(example_repo) -> None:
    plain = example_repo / "site"
    plain.mkdir()
    (plain / "index.html").write_text("gammal", encoding="utf-8")
    build_site(example_repo, plain)
    assert plain.is_symlink() and "gammal" not in (plain / "index.html").read_text("utf-8")
