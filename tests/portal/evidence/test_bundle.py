"""The evidence bundle on SQLite and PostgreSQL: exported with the CLI and verified (the round
trip), what every file holds, the period, the export log, and every mistake in the command a
Swedish message that writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat

import pytest
from sqlalchemy import select, update

from rutinportal.content.catalogue import Catalogue
from rutinportal.portal.receipts.registers import read_registers
from rutinportal.portal.storage.models import (Acknowledgement, EvidenceExport, Membership,
                                               Person, QuizAttempt)

from .conftest import LEFT, cli, export, files, rows, session_on

pytestmark = pytest.mark.build
TODAY = dt.date.today()
FILES = {"LASMIG.txt", "SHA256SUMS", "manifest.json", "manifest.sig", "beslut.csv",
         "kvittenser.csv", "ledningsutbildning.csv", "grundutbildning.csv", "personal.csv"}


def test_export_then_verify_round_trip(built_example, seeded, tmp_path) -> None:
    out = tmp_path / "bevis.zip"
    result = export(built_example, seeded, out, "--by", "Sofia Bergström, samordnare")
    assert result.exit_code == 0, result.output
    found = files(out)
    lines = result.output.splitlines()
    assert lines[0] == (f"Bevispaketet är skrivet: {out} ({len(found)} filer, 6 kvittenser "
                        f"från början – {TODAY}).")
    assert lines[-1] == f"Kontrollera: rutinportal evidence verify {out}"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # personal data
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []
    texts = {n for n in found if n.startswith("texter/")}
    assert FILES | texts == set(found)
    catalogue = Catalogue.load(built_example.root)
    assert texts == {f"texter/{d}/v{s.version}.md" for d, v in catalogue.snapshots.items()
                     for s in v} | {f"texter/{d}/v{s.version}.quiz.yml"
                                    for d, v in catalogue.snapshots.items() for s in v
                                    if s.quiz_text is not None}
    assert found["texter/RUT-001/v2.md"] == \
        (built_example.root / "approved/RUT-001/v2.md").read_bytes()

    verified = cli(built_example.root, "evidence", "verify", str(out))
    assert verified.exit_code == 0, verified.output
    manifest = json.loads(found["manifest.json"])
    assert verified.output.startswith(
        f"Bevispaketet är äkta och oförändrat: signaturen stämmer med nyckeln ")
    assert (f"alla {len(found) - 2} filer som manifestet listar har rätt SHA-256, ingen saknas "
            f"och ingen har lagts till; 6 kvittenser stämmer med de "
            f"{sum(len(v) for v in catalogue.snapshots.values())} godkända texterna i texter/.") in verified.output
    assert (f"av Sofia Bergström, samordnare, kvittenser från början – {TODAY}, export-id "
            f"{manifest['export_id']}") in verified.output

    # The export is recorded: who, how, the period and the manifest's hash.
    with session_on(seeded) as session:
        logged = session.scalars(select(EvidenceExport)).one()
    assert (logged.kind, logged.via, logged.exported_by, logged.period_from,
            logged.period_to, logged.acknowledgements) == (
        "bevispaket", "cli", "Sofia Bergström, samordnare", None, TODAY, 6)
    assert logged.sha256 == hashlib.sha256(found["manifest.json"]).hexdigest()
    assert logged.export_id == manifest["export_id"]


def test_the_registers_hold_what_the_database_holds(built_example, seeded, tmp_path) -> None:
    out = tmp_path / "bevis.zip"
    assert export(built_example, seeded, out).exit_code == 0
    found = files(out)
    with session_on(seeded) as session:
        registers = read_registers(session)
        meeting_day = TODAY.isoformat()
    acks = rows(found["kvittenser.csv"])
    assert list(acks[0]) == ["Dokument", "Titel", "Version", "Förnyelse", "SHA-256",
                             "Personid", "Namn", "Enheter vid kvittensen", "Tidpunkt (UTC)",
                             "Källa", "APT-möte", "Vittne"]
    # The same rows as the registers of evidence (the restore drill compares those).
    assert sorted((r["Personid"], r["Dokument"], int(r["Version"]), int(r["Förnyelse"]),
                   r["SHA-256"], r["Källa"]) for r in acks) == sorted(
        (a.person_id, a.document_id, a.version, a.renewal, a.sha256, a.source)
        for a in registers.acknowledgements)
    for row, entry in zip(sorted(acks, key=lambda r: (r["Personid"], r["Dokument"])),
                          sorted(registers.acknowledgements), strict=True):
        assert row["Tidpunkt (UTC)"] == entry.acknowledged_at[:19] + "+00:00"
    apt = [r for r in acks if r["Källa"] == "apt"]
    assert {(r["Personid"], r["Dokument"], r["APT-möte"], r["Vittne"],
             r["Enheter vid kvittensen"]) for r in apt} == {
        ("anna.lind", "RUT-003", meeting_day, "Lena Nyberg", "Hemtjänst"),
        ("fatima.ali", "RUT-003", meeting_day, "Lena Nyberg", "Hemtjänst")}
    assert {r["Titel"] for r in acks if r["Dokument"] == "RUT-001"} == \
        {"Låna aldrig ut ditt SITHS-kort"}

    decisions = {(r["Id"], r["Version"]): r for r in rows(found["beslut.csv"])}
    rut = decisions[("RUT-001", "2")]
    assert (rut["Beslutat av"], rut["Beslutsdatum"], rut["Beslut"], rut["Första inlämning"],
            rut["Dagar från inlämning till beslut"], rut["Återremisser"], rut["Godkänd text"],
            rut["Typ"]) == ("Ledningsgruppen Utveckling och stöd", "2026-03-02",
                            "LG U&S 2026-03-02 § 4", "2026-02-09", "21", "0",
                            "texter/RUT-001/v2.md", "rutin")
    catalogue = Catalogue.load(built_example.root)
    assert rut["SHA-256"] == catalogue.snapshots["RUT-001"][1].sha256

    managers = rows(found["ledningsutbildning.csv"])
    karin = {r["Modul"]: r for r in managers if r["Personid"] == "karin.ostberg"}
    assert (karin["UTB-101"]["Status"], karin["UTB-101"]["Klar"], karin["UTB-101"]["Resultat (%)"],
            karin["UTB-101"]["Försök"], karin["UTB-101"]["Version"]) == (
        "Klar", TODAY.isoformat(), "100", "2",
        str(Catalogue.load(built_example.root).snapshots["UTB-101"][-1].version))
    assert karin["UTB-102"]["Status"] == "Ej klar" and karin["UTB-102"]["Klar"] == ""
    assert karin["UTB-102"]["Sista dag"] == (TODAY + dt.timedelta(days=30)).isoformat()
    assert karin["UTB-101"]["Roller"] == "Chefer och informationsägare, Sektorsledning"
    assert {r["Personid"] for r in managers} >= {"lena.nyberg", "karin.ostberg"}
    assert "anna.lind" not in {r["Personid"] for r in managers}

    staff = rows(found["grundutbildning.csv"])
    anna = {r["Modul"]: r for r in staff if r["Personid"] == "anna.lind"}
    assert set(anna) == {"UTB-001", "UTB-002", "UTB-003", "UTB-004"}
    assert {(r["Status"], r["Sista dag"], r["Erbjuden sedan"]) for r in anna.values()} == \
        {("Erbjuden, ej genomförd", "", TODAY.isoformat())}

    people = {r["Personid"]: r for r in rows(found["personal.csv"])}
    assert len(people) == 63
    assert (people[LEFT]["Aktiv"], people[LEFT]["Slutade"]) == ("nej", TODAY.isoformat())
    assert (people["lena.nyberg"]["Aktiv"], people["lena.nyberg"]["Enheter"],
            people["lena.nyberg"]["Chef för"], people["lena.nyberg"]["Roller"]) == (
        "ja", "Hemtjänst", "Hemtjänst", "Chefer och informationsägare")
    readme = found["LASMIG.txt"].decode("utf-8")
    assert f"Kvittenser från: från början – {TODAY}" in readme
    assert "Varje kvittens som registrerades under perioden (6 st)" in readme
    assert "Personallistan importerades senast " + TODAY.isoformat() in readme


def test_the_period_limits_the_acknowledgements_and_dates_the_training(
        built_example, seeded, tmp_path) -> None:
    """The roster moved back to 100 days ago, Anna's acknowledgements to last spring, Karin's
    quiz attempts to 40 days ago: the training files show each day as its ledger did."""
    spring = dt.datetime(TODAY.year - 1, 4, 15, 10, 0, tzinfo=dt.timezone.utc)
    roster_day = dt.datetime.combine(TODAY - dt.timedelta(days=100), dt.time(8),
                                     tzinfo=dt.timezone.utc)
    passed = TODAY - dt.timedelta(days=40)
    with session_on(seeded) as session:
        anna = session.scalars(select(Person).where(Person.person_id == "anna.lind")).one()
        karin = session.scalars(select(Person).where(Person.person_id == "karin.ostberg")).one()
        session.execute(update(Person).values(created_at=roster_day))
        session.execute(update(Membership).values(since=roster_day))
        session.execute(update(Acknowledgement).where(Acknowledgement.person_pk == anna.id,
                                                      Acknowledgement.source == "web")
                        .values(acknowledged_at=spring))
        session.execute(update(QuizAttempt).where(QuizAttempt.person_pk == karin.id)
                        .values(attempted_at=dt.datetime.combine(passed, dt.time(12),
                                                                  tzinfo=dt.timezone.utc)))
        session.commit()
    start, end = TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=1)
    out = tmp_path / "host.zip"
    result = export(built_example, seeded, out, "--from", start.isoformat(), "--to",
                    end.isoformat())
    assert result.exit_code == 0, result.output
    assert f", 0 kvittenser {start} – {end})" in result.output.splitlines()[0]
    karin_then = {r["Modul"]: r for r in rows(files(out)["ledningsutbildning.csv"])
                  if r["Personid"] == "karin.ostberg"}
    assert (karin_then["UTB-101"]["Status"], karin_then["UTB-101"]["Klar"],
            karin_then["UTB-101"]["Försök"]) == ("Klar", passed.isoformat(), "2")
    before = tmp_path / "fore.zip"
    result = export(built_example, seeded, before, "--to",
                    (passed - dt.timedelta(days=1)).isoformat())
    assert result.exit_code == 0, result.output
    found = files(before)
    karin_before = {r["Modul"]: r for r in rows(found["ledningsutbildning.csv"])
                    if r["Personid"] == "karin.ostberg"}
    assert (karin_before["UTB-101"]["Status"], karin_before["UTB-101"]["Försök"]) == \
        ("Ej klar", "0")
    assert sorted((r["Personid"], r["Dokument"]) for r in rows(found["kvittenser.csv"])) == [
        ("anna.lind", "RUT-001"), ("anna.lind", "RUT-002")]
    assert "Utbildning och personallista: läget " + \
        (passed - dt.timedelta(days=1)).isoformat() in found["LASMIG.txt"].decode("utf-8")
    old = tmp_path / "tidigare.zip"
    assert export(built_example, seeded, old, "--to",
                  (TODAY - dt.timedelta(days=101)).isoformat()).exit_code == 0
    # Nobody was on the roster the day before it was imported.
    assert rows(files(old)["ledningsutbildning.csv"]) == []
    assert cli(built_example.root, "evidence", "verify", str(before)).exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--out", "bevis.pdf"], "Fel: --out: förväntade en fil som slutar på .zip, fick "
                             "'{tmp}/bevis.pdf'. Ingenting har skrivits.\n"),
    (["--out", "saknas/bevis.zip"], "Fel: --out: mappen '{tmp}/saknas' finns inte; skapa den "
                                    "först eller välj en annan plats. Ingenting har skrivits.\n"),
    (["--out", "bevis.zip", "--to", "2999-01-01"],
     "Fel: --to: förväntade ett datum senast i dag ({today}), fick 2999-01-01. Ingenting har "
     "exporterats.\n"),
    (["--out", "bevis.zip", "--from", "2026-06-01", "--to", "2026-05-01"],
     "Fel: --from: förväntade ett datum till och med --to (2026-05-01), fick 2026-06-01. "
     "Ingenting har exporterats.\n"),
    (["--out", "bevis.zip", "--from", "1/6"],
     "Ogiltigt värde för '--from': förväntade ett datum ÅÅÅÅ-MM-DD, fick '1/6'"),
])
def test_a_wrong_command_says_what_and_writes_nothing(built_example, seeded, tmp_path, args,
                                                      message) -> None:
    args = [str(tmp_path / a) if a.startswith(("bevis", "saknas")) else a for a in args]
    result = cli(built_example.root, "evidence", "export", *args, "--database", seeded,
                 "--site-dir", str(built_example.site))
    assert result.exit_code != 0
    assert message.format(tmp=tmp_path, today=TODAY) in result.output
    assert not any(p.name.endswith(".zip") or p.name.startswith(".bevis")
                   for p in tmp_path.iterdir())
    with session_on(seeded) as session:
        assert session.scalars(select(EvidenceExport)).all() == []


def test_a_renewal_is_a_row_of_its_own_and_the_bundle_still_verifies(built_example, seeded,
                                                                      tmp_path) -> None:
    """Anna renewed RUT-001 (the same version, renewal 1): both of her records are in
    kvittenser.csv with their numbers, and `evidence verify` counts both."""
    with session_on(seeded) as session:
        first = session.scalars(select(Acknowledgement).join(
            Person, Person.id == Acknowledgement.person_pk).where(
            Person.person_id == "anna.lind", Acknowledgement.document_id == "RUT-001")).one()
        renewed_at = first.acknowledged_at + dt.timedelta(minutes=5)
        session.add(Acknowledgement(person_pk=first.person_pk, document_id="RUT-001",
                                    version=first.version, renewal=1, sha256=first.sha256,
                                    source="web", acknowledged_at=renewed_at))
        session.commit()
    out = tmp_path / "bevis.zip"
    assert export(built_example, seeded, out).exit_code == 0
    acks = rows(files(out)["kvittenser.csv"])
    assert len(acks) == 7
    assert [(r["Version"], r["Förnyelse"], r["SHA-256"], r["Källa"]) for r in acks
            if (r["Personid"], r["Dokument"]) == ("anna.lind", "RUT-001")] == [
        (str(first.version), "0", first.sha256, "web"),
        (str(first.version), "1", first.sha256, "web")]
    verified = cli(built_example.root, "evidence", "verify", str(out))
    assert verified.exit_code == 0, verified.output
    assert "7 kvittenser stämmer med de" in verified.output
