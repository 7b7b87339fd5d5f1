"""Personal data on SQLite and PostgreSQL: the register extract (`rutinportal person export`)
and the retention of quiz attempts (`rutinportal retention`)."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rutinportal.cli import main
from rutinportal.portal.storage.db import session_factory
from rutinportal.portal.storage.models import Acknowledgement, IssuedAttempt, Membership, \
    Person, QuizAttempt, SignInSession
from rutinportal.portal.people.personal_data import delete_old_attempts, export_person, \
    retention_cutoff

UTC = dt.timezone.utc
NOW = dt.datetime.now(UTC)
SHA = "ab" * 32


@pytest.fixture(autouse=True)
def portal_environment(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what each test gives: no RUTINPORTAL_* from the shell; a throw-away root."""
    for name in list(os.environ):
        if name.startswith("RUTINPORTAL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RUTINPORTAL_ROOT", str(tmp_path))


def add_person(session: Session, person_id: str, name: str, memberships=(),
               title: str | None = None) -> Person:
    person = Person(person_id=person_id, name=name, email=f"{person_id}@valfard.example",
                    title=title, memberships=[Membership(kind=k, audience_id=a) for k, a in memberships])
    session.add(person)
    session.flush()
    return person


def add_attempt(session: Session, person: Person, quiz_id: str, age: dt.timedelta,
                passed: bool = True) -> None:
    session.add(QuizAttempt(person_pk=person.id, quiz_id=quiz_id, quiz_version=1,
                            document_id="UTB-001", answers={"q1": ["a"], "q2": ["b", "c"]},
                            score=1.0 if passed else 0.5, passed=passed,
                            attempted_at=NOW - age))


def add_acknowledgement(session: Session, person: Person, document_id: str,
                        age: dt.timedelta, renewal: int = 0) -> None:
    session.add(Acknowledgement(person_pk=person.id, document_id=document_id, version=2,
                                sha256=SHA, acknowledged_at=NOW - age, source="web",
                                renewal=renewal))


@pytest.fixture
def people(engine) -> None:
    """Anna (the one we ask about) and Bertil (who must never appear in Anna's extract)."""
    with session_factory(engine)() as session:
        anna = add_person(session, "anna.ek", "Anna Ek",
                          [("unit", "halso-sjukvard"), ("role", "chefer"),
                           ("manages", "halso-sjukvard")],
                          title="Verksamhetschef hälso- och sjukvård")
        bertil = add_person(session, "bertil.alm", "Bertil Älm", [("unit", "ifo")])
        add_acknowledgement(session, anna, "RUT-001", dt.timedelta(days=5 * 365))
        add_acknowledgement(session, anna, "RUT-002", dt.timedelta(days=10))
        add_acknowledgement(session, bertil, "RUT-003", dt.timedelta(days=10))
        add_attempt(session, anna, "nis2-ledning", dt.timedelta(days=4 * 365), passed=False)
        add_attempt(session, anna, "nis2-ledning", dt.timedelta(days=2 * 365))
        add_attempt(session, bertil, "phishing", dt.timedelta(days=4 * 365))
        add_attempt(session, bertil, "phishing", dt.timedelta(days=30))
        for person, token in ((anna, "a" * 64), (bertil, "b" * 64)):
            session.add(SignInSession(token_sha256=token, person_pk=person.id,
                                      auth_mode="dev", issuer="",
                                      created_at=NOW - dt.timedelta(days=4 * 365),
                                      last_seen_at=NOW - dt.timedelta(days=4 * 365)))
            session.add(IssuedAttempt(token=token[:20], person_pk=person.id,
                                      quiz_id="nis2-ledning", quiz_version=1,
                                      questions=[{"id": "q1", "choices": ["b", "a"]}],
                                      issued_at=NOW - dt.timedelta(days=1)))
        session.commit()


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def count(engine, model) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_export_holds_everything_about_the_person_and_nobody_else(engine, database_url,
                                                                   people) -> None:
    with session_factory(engine)() as session:  # Anna renewed RUT-001 (the same version)
        anna = session.scalars(select(Person).where(Person.person_id == "anna.ek")).one()
        add_acknowledgement(session, anna, "RUT-001", dt.timedelta(days=4 * 365), renewal=1)
        session.commit()
    result = run("person", "export", "anna.ek", "--database", database_url)
    assert result.exit_code == 0, result.output
    assert "Bertil" not in result.output and "Älm" not in result.output  # ensure_ascii=False
    data = json.loads(result.output)
    assert set(data) == {"beskrivning", "person", "memberships", "acknowledgements",
                         "quiz_attempts", "sessions", "issued_attempts", "exceptions",
                         "apt_meetings", "emails"}
    assert set(data["beskrivning"]) == set(data) - {"beskrivning"}
    assert data["person"]["person_id"] == "anna.ek"
    assert data["person"]["name"] == "Anna Ek"
    assert data["person"]["email"] == "anna.ek@valfard.example"
    assert data["person"]["title"] == "Verksamhetschef hälso- och sjukvård"
    assert data["person"]["active"] is True
    assert [{k: v for k, v in m.items() if k != "since"} for m in data["memberships"]] == [
        {"kind": "manages", "audience_id": "halso-sjukvard"},
        {"kind": "role", "audience_id": "chefer"},
        {"kind": "unit", "audience_id": "halso-sjukvard"}]
    assert all(dt.datetime.fromisoformat(m["since"]).tzinfo for m in data["memberships"])
    assert (data["exceptions"], data["apt_meetings"], data["emails"]) == ([], [], [])
    assert [(a["document_id"], a["version"], a["renewal"], a["sha256"], a["source"])
            for a in data["acknowledgements"]] == [("RUT-001", 2, 0, SHA, "web"),
                                                    ("RUT-001", 2, 1, SHA, "web"),
                                                    ("RUT-002", 2, 0, SHA, "web")]
    assert [a["passed"] for a in data["quiz_attempts"]] == [False, True]
    first = data["quiz_attempts"][0]
    assert first["quiz_id"] == "nis2-ledning" and first["quiz_version"] == 1
    assert first["answers"] == {"q1": ["a"], "q2": ["b", "c"]} and first["score"] == 0.5
    assert dt.datetime.fromisoformat(first["attempted_at"]).tzinfo is not None
    assert [(x["auth_mode"], x["ended_at"]) for x in data["sessions"]] == [("dev", None)]
    assert [x["questions"] for x in data["issued_attempts"]] == [
        [{"id": "q1", "choices": ["b", "a"]}]]
    assert "  \"person\": {" in result.output  # indented for people to read


def test_export_writes_swedish_as_it_is(engine, database_url, people) -> None:
    result = run("person", "export", "bertil.alm", "--database", database_url)
    assert result.exit_code == 0, result.output
    assert '"name": "Bertil Älm"' in result.output
    assert "personallista" in result.output and "\\u00e4" not in result.output
    data = json.loads(result.output)
    assert [a["document_id"] for a in data["acknowledgements"]] == ["RUT-003"]
    assert {a["quiz_id"] for a in data["quiz_attempts"]} == {"phishing"}


def test_export_of_an_unknown_person_is_a_clear_error(engine, database_url, people) -> None:
    result = run("person", "export", "okand.person", "--database", database_url)
    assert result.exit_code == 1
    assert result.output == ("Fel: Det finns ingen person med id 'okand.person' i "
                             "Rutinportalens databas. Kontrollera id:t i personallistan "
                             "(kolumnen personid).\n")


def test_retention_deletes_only_attempts_older_than_the_limit(engine, database_url,
                                                              people) -> None:
    result = run("retention", "--years", "3", "--database", database_url)
    assert result.exit_code == 0, result.output
    cutoff = retention_cutoff(3).date().isoformat()
    assert result.output.startswith(f"Raderade 2 kunskapstestförsök äldre än 3 år (gjorda före "
                                    f"{cutoff})")
    assert result.output.endswith("Kvittenserna sparas.\n")
    assert count(engine, QuizAttempt) == 2
    assert count(engine, Acknowledgement) == 3  # even the five-year-old one
    assert count(engine, SignInSession) == 0  # last used four years ago
    assert count(engine, IssuedAttempt) == 2  # handed out yesterday
    with session_factory(engine)() as session:
        anna = export_person(session, "anna.ek")
    assert [a["passed"] for a in anna["quiz_attempts"]] == [True]
    again = run("retention", "--years", "3", "--database", database_url)
    assert again.output.startswith("Raderade 0 kunskapstestförsök")


def test_retention_years_come_from_the_settings(engine, database_url, people,
                                                monkeypatch) -> None:
    monkeypatch.setenv("RUTINPORTAL_RETENTION_YEARS", "1")
    result = run("retention", "--database", database_url)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Raderade 3 kunskapstestförsök äldre än 1 år")
    assert count(engine, QuizAttempt) == 1


def test_retention_defaults_to_three_years(engine, database_url, people) -> None:
    result = run("retention", "--database", database_url)
    assert result.output.startswith("Raderade 2 kunskapstestförsök äldre än 3 år")


def test_a_dry_run_deletes_nothing(engine, database_url, people) -> None:
    result = run("retention", "--years", "1", "--dry-run", "--database", database_url)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Provkörning: 3 kunskapstestförsök äldre än 1 år")
    assert result.output.endswith("Ingenting har raderats.\n")
    assert count(engine, QuizAttempt) == 4 and count(engine, Acknowledgement) == 3


def test_retention_counts_from_the_given_moment(session, people) -> None:
    later = NOW + dt.timedelta(days=2 * 365)
    assert delete_old_attempts(session, 3, now=later) == 3  # all but Bertil's recent one
    assert session.scalar(select(func.count()).select_from(Acknowledgement)) == 3


def test_the_cutoff_is_whole_calendar_years() -> None:
    moment = dt.datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert retention_cutoff(3, moment) == dt.datetime(2025, 2, 28, 12, 0, tzinfo=UTC)
    local = dt.datetime(2026, 6, 1, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert retention_cutoff(1, local) == dt.datetime(2025, 5, 31, 23, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        retention_cutoff(0, moment)
