"""Review reminders reach the document's owner: `rutinportal notify` against a real SMTP
server, on SQLite and PostgreSQL.

A document's `owner` is a title; the roster's `befattning` says who holds it. On 2027-04-05 (a
Monday, week 14) three reviews are due: LRD-001 (owner Avdelningschef Utveckling och stöd)
and LRD-003 (Verksamhetschef hemtjänst) by 2027-04-20, and RUT-004 (the MAS), overdue since
2026-09-15. Olle is the Avdelningschef, Ulla and Tove both Verksamhetschef hemtjänst (Ulla's
title written in another case and spacing), Mona the MAS without an e-mail address.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select

from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import NotifyRun

from ..support import ROSTER_HEADER, write_roster
from .conftest import import_on
from .test_accessible_mail import mail_problems
from .test_notify import Notifier, body, who

pytestmark = pytest.mark.build

JOINED = dt.date(2027, 3, 1)
MONDAY = dt.date(2027, 4, 5)
HEADER = (*ROSTER_HEADER, "befattning")
ROSTER = [
    ("sam.samordnare", "Sam Samordnare", "sam@example.org", "utveckling-stod", "samordnare", "",
     "Informationssäkerhetssamordnare"),
    ("olle.olsson", "Olle Olsson", "olle@example.org", "utveckling-stod", "chefer",
     "utveckling-stod", "Avdelningschef Utveckling och stöd"),
    ("ulla.ulf", "Ulla Ulf", "ulla@example.org", "hemtjanst", "chefer", "hemtjanst",
     "  verksamhetschef   HEMTJÄNST "),
    ("tove.tall", "Tove Tall", "tove@example.org", "hemtjanst", "chefer", "",
     "Verksamhetschef hemtjänst"),
    ("mona.mas", "Mona Mas", "", "halso-sjukvard", "", "",
     "Medicinskt ansvarig sjuksköterska (MAS)"),
    ("anna.andersson", "Anna Andersson", "anna@example.org", "hemtjanst", "", "",
     "Undersköterska"),
]
NAMES = {row[2]: row[1] for row in ROSTER if row[2]}  # address → name
LRD_001 = ("- LRD-001 Ett lånat SITHS-kort som blev kvar i datorn: senast 20 april 2027\n"
           "{reach}\n  https://rutiner.kommun.example/lardomar/lana-siths-kort/\n")
LRD_003 = ("- LRD-003 Genomförandeplaner som hamnade i TES: senast 20 april 2027\n"
           "{reach}\n  https://rutiner.kommun.example/lardomar/genomforandeplan-i-tes/\n")
RUT_004 = ("- RUT-004 Stäng journalen när du lämnar den: försenad sedan 15 september 2026\n"
           "{reach}\n  https://rutiner.kommun.example/rutiner/stang-journalen/\n")


def reviews(sent) -> Counter:
    return Counter({k: n for k, n in who(sent).items() if "reviews" in k[1]})


def mail_to(sent, address: str, kind: str):
    return next(m for m in sent if m["To"] == address and m["X-Rutinportalen"] == kind)


def line(reach: str) -> str:
    return f"  {reach}" if reach else ""


@pytest.fixture
def notifier(built_example, database_url, smtp_server, tmp_path):
    import_on(built_example.root, database_url,
              write_roster(tmp_path / "personal.csv", ROSTER, HEADER), JOINED)
    return Notifier(built_example, database_url, smtp_server)


def test_each_owner_gets_their_documents_and_the_coordinator_all_with_who_was_reached(
        notifier, built_example, database_url, tmp_path):
    output, sent = notifier.run(MONDAY)

    # One message to each person holding an owner's title who has an address; Mona (the
    # MAS) has none, Anna's title owns nothing.
    assert reviews(sent) == Counter({
        ("sam@example.org", "reviews"): 1, ("olle@example.org", "owner_reviews"): 1,
        ("ulla@example.org", "owner_reviews"): 1, ("tove@example.org", "owner_reviews"): 1})
    assert "översyner: 1, översyner till informationsägare: 3); 0 kunde inte levereras. " \
           "Utan e-postadress (fick inget): 1 person med något att göra. Slutat (inaktiva i " \
           "personallistan, får inget): 0 personer. Informationsägare som ingen i " \
           "personallistan har som befattning (fick inget): 0 befattningar." in output

    ulla = mail_to(sent, "ulla@example.org", "owner_reviews")
    assert ulla["Subject"] == ("Dags för översyn: 1 dokument där du är informationsägare "
                               "(vecka 14)")
    text = body(ulla)
    assert text.startswith("Hej Ulla Ulf!\n\nDags för översyn: 1 dokument där du är "
                           "informationsägare. Det ska ses över inom 30 dagar eller är "
                           "försenat (5 april 2027):\n\n" + LRD_003.format(reach="")
                           .replace("\n\n", "\n"))
    assert "för att du har befattningen ”verksamhetschef HEMTJÄNST” i Rutinportalens " \
           "personallista" in text
    assert "LRD-001" not in text and "RUT-004" not in text
    assert mail_to(sent, "tove@example.org", "owner_reviews")["Subject"] == ulla["Subject"]
    olle = body(mail_to(sent, "olle@example.org", "owner_reviews"))
    assert "- LRD-001 Ett lånat SITHS-kort som blev kvar i datorn: senast 20 april 2027\n" \
           in olle and "LRD-003" not in olle and "RUT-004" not in olle
    for mail in sent:  # nobody else's name in an owner's message, nor in the coordinator's
        if "reviews" in mail["X-Rutinportalen"]:
            others = {r[1] for r in ROSTER} - {NAMES[mail["To"]]}
            assert [n for n in others if n in body(mail)] == []

    coordinator = body(mail_to(sent, "sam@example.org", "reviews"))
    assert RUT_004.format(reach=line(
        "Ägaren finns i personallistan med befattningen ”Medicinskt ansvarig sjuksköterska "
        "(MAS)” men saknar e-postadress: påminn ägaren själv.")) in coordinator
    assert LRD_001.format(reach=line(
        "Ägaren har fått påminnelsen (befattningen ”Avdelningschef Utveckling och "
        "stöd”).")) in coordinator
    assert LRD_003.format(reach=line(
        "Ägaren har fått påminnelsen (befattningen ”Verksamhetschef hemtjänst”).")) \
        in coordinator
    problems = [f"{m['X-Rutinportalen']} to {m['To']}: {problem}" for m in sent
                if "reviews" in m["X-Rutinportalen"] for problem in mail_problems(m)]
    assert problems == []

    # Later the same week: every weekly message has been sent; nothing again.
    output, sent = notifier.run(dt.date(2027, 4, 7))
    assert reviews(sent) == Counter()
    assert "översyner: 0, översyner till informationsägare: 0)" in output

    # Olle leaves. The next week his documents reach nobody, and the run counts the title.
    import_on(built_example.root, database_url,
              write_roster(tmp_path / "andra.csv", [r for r in ROSTER if r[0] != "olle.olsson"],
                           HEADER), dt.date(2027, 4, 8))
    output, sent = notifier.run(dt.date(2027, 4, 12))
    assert reviews(sent) == Counter({
        ("sam@example.org", "reviews"): 1, ("ulla@example.org", "owner_reviews"): 1,
        ("tove@example.org", "owner_reviews"): 1})
    assert "Slutat (inaktiva i personallistan, får inget): 1 person. Informationsägare som " \
           "ingen i personallistan har som befattning (fick inget): 1 befattning." in output
    assert "  Ägaren finns inte i personallistan med befattningen ”Avdelningschef " \
           "Utveckling och stöd”: påminn ägaren själv.\n" \
           in body(mail_to(sent, "sam@example.org", "reviews"))

    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        counts = [r.counts for r in session.scalars(select(NotifyRun).order_by(NotifyRun.id))]
    engine.dispose()
    assert [c.get("owner_reviews", 0) for c in counts] == [3, 0, 2]


def test_a_title_nobody_holds_gets_no_mail_and_is_counted(built_example, database_url,
                                                         smtp_server, tmp_path):
    """A roster without the column: no owner is reached, and the run says how many titles."""
    import_on(built_example.root, database_url,
              write_roster(tmp_path / "personal.csv", [r[:6] for r in ROSTER]), JOINED)
    output, sent = Notifier(built_example, database_url, smtp_server).run(MONDAY)
    assert reviews(sent) == Counter({("sam@example.org", "reviews"): 1})
    assert "Informationsägare som ingen i personallistan har som befattning (fick inget): " \
           "3 befattningar." in output
    text = body(mail_to(sent, "sam@example.org", "reviews"))
    assert text.count("Ägaren finns inte i personallistan med befattningen") == 3


def test_the_dry_run_shows_the_owners_messages(notifier):
    output, sent = notifier.run(MONDAY, "--dry-run")
    assert sent == []
    assert "Till: Ulla Ulf <ulla@example.org>\nÄmne: Dags för översyn: 1 dokument där du är " \
           "informationsägare (vecka 14)\n\nHej Ulla Ulf!" in output
    assert "översyner: 1, översyner till informationsägare: 3). Ingenting har skickats." \
        in output
    _, sent = notifier.run(MONDAY)  # nothing was claimed by the dry run
    assert reviews(sent)[("ulla@example.org", "owner_reviews")] == 1
