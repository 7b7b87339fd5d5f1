"""Against a real uvicorn process: concurrency, and durability when the server is killed.

Bounded loops on 127.0.0.1 only; each test stops its own server.
"""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import select

from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import Acknowledgement, Person
from rutinportal.testing.server import PortalProcess

from .support import import_demo_roster, published_version

pytestmark = pytest.mark.build
PEOPLE = 3000
TOKEN = "lasttest-token"


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


def big_roster(path: Path, people: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["personid", "namn", "epost", "enheter", "roller", "chef_for"])
        units = ["hemtjanst", "vard-omsorgsboende", "halso-sjukvard", "funktionsstod"]
        for n in range(people):
            writer.writerow([f"p{n:05d}", f"Person {n}", "", units[n % len(units)], "", ""])
    return path


def headers(person: str) -> dict[str, str]:
    return {"X-Remote-User": person, "X-CSRF-Token": TOKEN, "Cookie": f"rp_csrf={TOKEN}"}


async def burst(base: str, people: list[str], clients: int, version: int,
                on_confirmed=None) -> tuple[list[str], list[str]]:
    """Acknowledge RUT-001 (`version`: the published one) for each person with `clients`
    concurrent connections.

    `on_confirmed(count)` is called after every 2xx answer (the kill test uses it).
    """
    queue: asyncio.Queue[str] = asyncio.Queue()
    for person in people:
        queue.put_nowait(person)
    confirmed: list[str] = []
    failed: list[str] = []

    async def client() -> None:
        async with httpx2.AsyncClient(base_url=base, timeout=30) as http:
            while not queue.empty():
                person = queue.get_nowait()
                try:
                    response = await http.post("/api/acknowledgements", headers=headers(person),
                                               json={"document_id": "RUT-001", "version": version})
                except httpx2.HTTPError as exc:
                    failed.append(f"{person}: {exc.__class__.__name__}")
                    continue
                if 200 <= response.status_code < 300:
                    confirmed.append(person)
                    if on_confirmed is not None:
                        on_confirmed(len(confirmed))
                else:
                    failed.append(f"{person}: {response.status_code} {response.text[:200]}")

    await asyncio.gather(*(client() for _ in range(clients)))
    return confirmed, failed


def acknowledged(url: str) -> list[str]:
    """The person ids of all acknowledgement records (one element per record)."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        rows = session.execute(select(Person.person_id).join(
            Acknowledgement, Acknowledgement.person_pk == Person.id)).scalars().all()
    engine.dispose()
    return list(rows)


def test_50_clients_3000_distinct_acknowledgements(example, database_url, tmp_path) -> None:
    root, site = example
    import_demo_roster(root, database_url, big_roster(tmp_path / "roster.csv", PEOPLE))
    server = PortalProcess(root, site, database_url, tmp_path / "server.log")
    server.start()
    try:
        people = [f"p{n:05d}" for n in range(PEOPLE)]
        confirmed, failed = asyncio.run(burst(server.base, people, clients=50,
                                              version=published_version(site, "RUT-001")))
    finally:
        server.stop()
    assert failed == []
    assert len(confirmed) == PEOPLE
    records = acknowledged(database_url)
    assert len(records) == PEOPLE and set(records) == set(people)


def test_two_processes_over_postgresql_each_with_its_own_writer(
        example, postgresql_server, tmp_path) -> None:
    """Scale-out: two worker processes, each committing its own batches, one database."""
    root, site = example
    database_url = postgresql_server.create_database("load_two_processes")
    import_demo_roster(root, database_url, big_roster(tmp_path / "roster.csv", 1500))
    server = PortalProcess(root, site, database_url, tmp_path / "server.log", workers=2)
    server.start()
    try:
        people = [f"p{n:05d}" for n in range(1500)]
        # Every person twice: the second is answered 200 by whichever process gets it.
        confirmed, failed = asyncio.run(burst(server.base, people + people, clients=50,
                                              version=published_version(site, "RUT-001")))
    finally:
        server.stop()
    assert failed == []
    assert len(confirmed) == 3000
    records = acknowledged(database_url)
    assert sorted(records) == people


def test_every_confirmed_acknowledgement_survives_kill_9(example, database_url,
                                                        tmp_path) -> None:
    root, site = example
    import_demo_roster(root, database_url, big_roster(tmp_path / "roster.csv", 1200))
    server = PortalProcess(root, site, database_url, tmp_path / "server.log")
    server.start()
    people = [f"p{n:05d}" for n in range(1200)]

    def kill_midway(count: int) -> None:
        # Kill once 300 answers are confirmed, while the other clients are in flight.
        if count == 300:
            server.kill()

    try:
        confirmed, failed = asyncio.run(burst(server.base, people, clients=20,
                                              version=published_version(site, "RUT-001"),
                                              on_confirmed=kill_midway))
    finally:
        server.kill()
    assert failed, "the server was killed before the burst finished"
    assert len(confirmed) >= 300, "the kill came before 300 confirmations"
    server.start()  # restart on the same database: it must open cleanly
    try:
        response = httpx2.get(server.base + "/api/me", headers=headers(confirmed[0]))
        assert response.status_code == 200
        assert [a["document_id"] for a in response.json()["acknowledged"]] == ["RUT-001"]
    finally:
        server.stop()
    stored = set(acknowledged(database_url))
    assert set(confirmed) <= stored
    assert len(stored) < len(people)
