"""Acknowledgements recorded in batches, on SQLite and PostgreSQL: one row per person and
version, the published text's hash, refusals that write nothing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, select

from rutinportal.errors import Forbidden, NotPublished
from rutinportal.portal.published import load_published
from rutinportal.portal.receipts.acknowledgements import Receipt, Wanted, record, wanted, \
    writer
from rutinportal.portal.storage.models import Acknowledgement, Person

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def published(built_example):
    return load_published(built_example.root, built_example.site)


@pytest.fixture
def people(session) -> dict[str, int]:
    session.add_all([Person(person_id="anna", name="Anna Lind"),
                     Person(person_id="bo", name="Bo Ek"),
                     Person(person_id="cecilia", name="Cecilia Holm", active=False)])
    session.commit()
    return {p.person_id: p.id for p in session.scalars(select(Person))}


def siths(published) -> int:
    """The version of RUT-001 the site publishes (what is acknowledged)."""
    return published.documents["RUT-001"].version


def stored(session) -> list[tuple[int, str, int, str, str]]:
    session.expire_all()
    return sorted((a.person_pk, a.document_id, a.version, a.sha256, a.source)
                  for a in session.scalars(select(Acknowledgement)))


def test_wanted_names_what_is_not_published(published) -> None:
    routine = published.documents["RUT-001"]
    assert wanted(published, "anna", "RUT-001", routine.version) == \
        Wanted("anna", "RUT-001", routine.version, routine.sha256)
    assert wanted(published, "anna", "RUT-008", 1).refusal == (
        "RUT-008 är inte publicerat och kan inte kvitteras. Ingenting har registrerats.")
    assert wanted(published, "anna", "RUT-001", 1).refusal == (
        f"Version 1 av RUT-001 är inte den publicerade versionen (version {routine.version}). "
        "Ladda om sidan och läs den gällande versionen. Ingenting har registrerats.")


def test_a_batch_records_each_new_acknowledgement_once(engine, session, people,
                                                       published) -> None:
    version = siths(published)
    ok = wanted(published, "anna", "RUT-001", version)
    batch = [ok, ok, wanted(published, "bo", "RUT-001", version),
             wanted(published, "okand", "RUT-001", version),
             wanted(published, "cecilia", "RUT-001", version),
             wanted(published, "bo", "RUT-008", 1)]
    with engine.begin() as connection:
        outcomes = record(connection, batch)
    first, double, bo, unknown, inactive, unpublished = outcomes
    assert isinstance(first, Receipt) and first.created and first.document_id == "RUT-001"
    # The double click in the same batch finds the record the first one made.
    assert isinstance(double, Receipt) and not double.created
    assert double.acknowledged_at == first.acknowledged_at
    assert isinstance(bo, Receipt) and bo.created
    assert isinstance(unknown, Forbidden) and unknown.message.startswith(
        "Du är inloggad som 'okand', men finns inte bland de aktiva medarbetarna")
    assert isinstance(inactive, Forbidden)
    assert isinstance(unpublished, NotPublished)
    sha = published.documents["RUT-001"].sha256
    assert stored(session) == [(people["anna"], "RUT-001", version, sha, "web"),
                               (people["bo"], "RUT-001", version, sha, "web")]


def test_an_acknowledgement_that_exists_is_answered_as_it_was(engine, session, people,
                                                             published) -> None:
    ask = wanted(published, "anna", "RUT-001", siths(published))
    with engine.begin() as connection:
        [before] = record(connection, [ask])
    with engine.begin() as connection:
        [again, bo] = record(connection, [ask, wanted(published, "bo", "RUT-001",
                                                      siths(published))])
    assert before.created and not again.created and bo.created
    assert again.acknowledged_at.replace(tzinfo=None) == \
        before.acknowledged_at.replace(tzinfo=None)
    assert len(stored(session)) == 2


def test_concurrent_acknowledgements_share_one_commit_and_are_answered_after_it(
        engine, session, people, published) -> None:
    events: list[str] = []
    event.listen(engine, "commit", lambda _connection: events.append("commit"))
    acks = writer(engine)
    names = ["anna", "bo"] * 25  # 50 requests at once, two of them new

    async def client(person_id: str) -> Receipt:
        receipt = await acks.submit(wanted(published, person_id, "RUT-001", siths(published)))
        events.append("answer")
        return receipt

    async def burst() -> list[Receipt]:
        return await asyncio.gather(*(client(n) for n in names))

    try:
        receipts = asyncio.run(burst())
    finally:
        acks.close()
    assert events == ["commit"] + ["answer"] * 50
    assert sum(r.created for r in receipts) == 2
    assert len(stored(session)) == 2


def test_a_failed_commit_fails_every_request_of_its_batch(engine, session, people,
                                                          published) -> None:
    def fail(connection, batch):
        record(connection, batch)
        raise RuntimeError("disk full")

    acks = writer(engine)
    acks.work = fail

    async def burst():
        return await asyncio.gather(
            *(acks.submit(wanted(published, p, "RUT-001", siths(published)))
              for p in ("anna", "bo")),
            return_exceptions=True)

    try:
        outcomes = asyncio.run(burst())
    finally:
        acks.close()
    assert [str(o) for o in outcomes] == ["disk full", "disk full"]
    assert stored(session) == []
