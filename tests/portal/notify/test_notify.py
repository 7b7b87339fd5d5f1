"""`rutinportal notify` against a real SMTP server, over simulated days (`--today`), on
SQLite and PostgreSQL: each message exactly once.

The roster joins on 2026-12-01, so every routine of the example content is due 30 days
later, 2026-12-31. Hemtjänst owes RUT-001, -002, -003, -006, -007, -009 and -010; Hanna, its
manager, also RUT-005 and the six NIS2 modules; Sam (the coordinator, Utveckling och stöd)
RUT-001, -006, -009 and -010. On 2026-12-01 RUT-004 has waited 36 days for a decision and
RUT-008 92 (RUT-011: 13, under the 14 that count); the review of RUT-004 (its version 1 in
force) is overdue since 2026-09-15, RUT-005's was done in its version 2 (2026-11-29).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from rutinportal.cli import main
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import Acknowledgement, Notification, NotifyRun, Person

from ..support import write_roster
from .conftest import import_on

pytestmark = pytest.mark.build

JOINED = dt.date(2026, 12, 1)
HEMTJANST = ["RUT-001", "RUT-002", "RUT-003", "RUT-006", "RUT-007", "RUT-009", "RUT-010"]
ROSTER = [
    ("anna.andersson", "Anna Andersson", "anna@example.org", "hemtjanst", "", ""),
    ("bo.bengtsson", "Bo Bengtsson", "bo@example.org", "hemtjanst", "", ""),
    ("cissi.carlsson", "Cissi Carlsson", "", "hemtjanst", "", ""),
    ("eva.ek", "Eva Ek", "eva@example.org", "hemtjanst", "", ""),
    ("lars.lamnat", "Lars Lämnat", "lars@example.org", "hemtjanst", "", ""),
    ("hanna.hemchef", "Hanna Hemchef", "hanna@example.org", "hemtjanst", "chefer", "hemtjanst"),
    ("sam.samordnare", "Sam Samordnare", "sam@example.org", "utveckling-stod", "samordnare",
     ""),
]


class Notifier:
    """Runs `rutinportal notify` in this process, as the coordinator's timer would."""

    def __init__(self, example, url: str, smtp, **env: str):
        self.example, self.url, self.smtp = example, url, smtp
        self.env = {"RUTINPORTAL_ROOT": str(example.root), **smtp.env(**env)}

    def args(self, day: dt.date, *more: str) -> list[str]:
        return ["notify", "--today", day.isoformat(), "--database", self.url,
                "--site-dir", str(self.example.site), *more]

    def run(self, day: dt.date, *more: str):
        before = len(self.smtp.inbox.messages)
        result = CliRunner().invoke(main, self.args(day, *more), env=self.env)
        assert result.exit_code == 0, result.output
        return result.output, self.smtp.inbox.since(before)

    def cli(self, *args: str):
        result = CliRunner().invoke(main, [*args, "--database", self.url], env=self.env)
        assert result.exit_code == 0, result.output
        return result.output


def who(messages) -> Counter:
    """(recipient, kind) of each message."""
    return Counter((m["To"], m["X-Rutinportalen"]) for m in messages)


def body(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html(message) -> str:
    return message.get_body(("html",)).get_content().replace("\r\n", "\n")


def acknowledge(url: str, person_id: str, documents: list[str], example) -> None:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        pk = session.scalar(select(Person.id).where(Person.person_id == person_id))
        for document_id in documents:
            doc = example.catalog[document_id]
            session.add(Acknowledgement(person_pk=pk, document_id=document_id,
                                        version=doc["version"], sha256=doc["sha256"],
                                        source="web"))
        session.commit()
    engine.dispose()


@pytest.fixture
def notifier(built_example, database_url, smtp_server, tmp_path):
    import_on(built_example.root, database_url, write_roster(tmp_path / "personal.csv", ROSTER),
              JOINED)
    return Notifier(built_example, database_url, smtp_server,
                    RUTINPORTAL_OVERDUE_REMINDERS="2")


def test_a_campaign_over_simulated_days(notifier, built_example, database_url, tmp_path):
    # Day one: everyone with something to do gets one digest; the weekly messages go out.
    output, sent = notifier.run(JOINED)
    assert who(sent) == Counter({
        ("anna@example.org", "digest"): 1, ("bo@example.org", "digest"): 1,
        ("eva@example.org", "digest"): 1, ("lars@example.org", "digest"): 1,
        ("hanna@example.org", "digest"): 1, ("sam@example.org", "digest"): 1,
        ("hanna@example.org", "summary"): 1, ("sam@example.org", "decisions"): 1,
        ("sam@example.org", "reviews"): 1})
    assert "Utskick 2026-12-01: 9 meddelanden skickade (nytt att göra: 6, påminnelser: 0, " \
           "veckosammanfattningar till chefer: 1, beslut som väntar: 1, översyner: 1, " \
           "översyner till informationsägare: 0); 0 kunde inte levereras. Utan e-postadress " \
           "(fick inget): 1 person med något att göra. Slutat (inaktiva i personallistan, får " \
           "inget): 0 personer. Informationsägare som ingen i personallistan har som " \
           "befattning (fick inget): 1 befattning." in output
    anna = next(m for m in sent if m["To"] == "anna@example.org")
    assert anna["Subject"] == "Nytt att göra i Rutinportalen: 7 saker"
    assert anna["From"] == "Rutinportalen <rutiner@kommun.example>"
    text = body(anna)
    assert "Hej Anna Andersson!" in text and "Nytt att göra i Rutinportalen (7):" in text
    assert "- Läsa och kvittera: Låna aldrig ut ditt SITHS-kort\n  senast 31 december 2026\n" \
           "  https://rutiner.kommun.example/rutiner/siths-kort/" in text
    page = html(anna)
    assert '<html lang="sv">' in page and "<h1" in page and "<img" not in page
    assert '<a href="https://rutiner.kommun.example/rutiner/siths-kort/" ' \
           'style="color: #0b4f8a;">Läsa och kvittera: Låna aldrig ut ditt SITHS-kort</a> – ' \
           "senast 31 december 2026" in page
    for message in sent:  # nobody else's data in a staff message
        if message["X-Rutinportalen"] == "digest":
            others = {n for _, n, *_ in ROSTER} - {message["To"]}
            assert not [n for n in ("Anna Andersson", "Bo Bengtsson", "Eva Ek", "Lars Lämnat")
                        if n in body(message) and message["To"] != f"{n.split()[0].lower()}"
                        "@example.org"], others
    decisions = next(m for m in sent if m["X-Rutinportalen"] == "decisions")
    assert decisions["Subject"] == "2 dokument väntar på beslut längre än 14 dagar (vecka 49)"
    assert "- RUT-004 Stäng journalen när du lämnar den: 36 dagar hos Ledningsgruppen " \
           "Utveckling och stöd" in body(decisions)
    assert "RUT-011" not in body(decisions)
    reviews = next(m for m in sent if m["X-Rutinportalen"] == "reviews")
    assert "- RUT-004 Stäng journalen när du lämnar den: försenad sedan 15 september 2026" \
        in body(reviews)
    assert "RUT-005" not in body(reviews)  # reviewed: next review 2027-11-29
    # Nobody on this roster has a job title: the owner (the MAS) is not reached.
    assert "  Ägaren finns inte i personallistan med befattningen ”Medicinskt ansvarig " \
           "sjuksköterska (MAS)”: påminn ägaren själv." in body(reviews)

    # A second run on the same day sends nothing.
    output, sent = notifier.run(JOINED)
    assert sent == [] and "Utskick 2026-12-01: 0 meddelanden skickade" in output

    # Eva is away until the end of January; Bo acknowledges everything; Lars leaves; Anna
    # acknowledges RUT-001.
    assert "Eva Ek (eva.ek): Frånvarande till och med 2027-01-31 (Föräldraledig)." in \
        notifier.cli("person", "away", "eva.ek", "--until", "2027-01-31",
                     "--reason", "Föräldraledig")
    acknowledge(database_url, "bo.bengtsson", HEMTJANST, built_example)
    acknowledge(database_url, "anna.andersson", ["RUT-001"], built_example)
    import_on(built_example.root, database_url,
              write_roster(tmp_path / "andra.csv", [r for r in ROSTER if r[0] != "lars.lamnat"]),
              dt.date(2026, 12, 10))

    # A week before the due date: a reminder to those who still owe something.
    output, sent = notifier.run(dt.date(2026, 12, 24))
    assert sorted((m["To"], m["X-Rutinportalen"]) for m in sent) == [
        ("anna@example.org", "reminder"), ("hanna@example.org", "reminder"),
        ("hanna@example.org", "summary"), ("sam@example.org", "decisions"),
        ("sam@example.org", "reminder"), ("sam@example.org", "reviews")]
    assert "Slutat (inaktiva i personallistan, får inget): 1 person." in output
    anna = next(m for m in sent if m["To"] == "anna@example.org")
    assert anna["Subject"] == "Påminnelse från Rutinportalen: senast 31 december 2026"
    assert "Påminnelse (6):" in body(anna)
    assert "senast 31 december 2026, om 7 dagar" in body(anna)
    assert "SITHS-kort" not in body(anna)  # acknowledged: no more reminders

    # The due date, then weekly while overdue: at most 2 (RUTINPORTAL_OVERDUE_REMINDERS).
    _, sent = notifier.run(dt.date(2026, 12, 31))
    anna = next(m for m in sent if m["To"] == "anna@example.org")
    assert "i dag, 31 december 2026, är sista dagen" in body(anna)
    _, sent = notifier.run(dt.date(2027, 1, 7))
    anna = next(m for m in sent if m["To"] == "anna@example.org")
    assert anna["Subject"] == "Försenat i Rutinportalen: gör det så snart du kan"
    assert "försenad sedan 31 december 2026 (7 dagar) – påminnelse 1 av 2" in body(anna)
    summary = next(m for m in sent if m["X-Rutinportalen"] == "summary")
    assert summary["To"] == "hanna@example.org"
    assert summary["Subject"] == "Veckosammanfattning för Hemtjänst, vecka 1"
    text = body(summary)
    assert "Försenat (3 personer):" in text  # Anna, Cissi and Hanna; Bo done, Eva away
    assert "- Anna Andersson\n  Behandla personuppgifter" not in text
    assert "  Fotografera aldrig kunder med privat mobil (RUT-002): försenad sedan " \
           "31 december 2026, 7 dagar" in text
    assert "Eva Ek" not in text and "Bo Bengtsson" not in text and "Sam" not in text
    assert "- Hanna Hemchef: 0 av 6 moduler klara" in text
    _, sent = notifier.run(dt.date(2027, 1, 14))
    assert ("anna@example.org", "reminder") in who(sent)
    assert "påminnelse 2 av 2" in body(next(m for m in sent if m["To"] == "anna@example.org"))
    # The cap is reached: no more reminders; the manager still sees it, with Eva coming back.
    _, sent = notifier.run(dt.date(2027, 1, 21))
    assert [k for _, k in who(sent)].count("reminder") == 0
    summary = next(m for m in sent if m["X-Rutinportalen"] == "summary")
    assert "Undantag som upphör inom två veckor:\n\n- Eva Ek: Frånvarande till och med " \
           "2027-01-31 (Föräldraledig)" in body(summary)

    # Eva and Lars never had anything but their first digest; every Message-ID is unique.
    everything = notifier.smtp.inbox.messages
    assert who(everything)[("eva@example.org", "digest")] == 1
    assert sum(1 for m in everything if m["To"] in ("eva@example.org", "lars@example.org")) == 2
    assert len({m["Message-ID"] for m in everything}) == len(everything)
    # The coordinator's log: one row per run, with the counts.
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        runs = session.scalars(select(NotifyRun).order_by(NotifyRun.id)).all()
        assert [r.today for r in runs][:2] == [JOINED, JOINED]
        assert runs[0].counts == {"digest": 6, "summary": 1, "decisions": 1, "reviews": 1}
        assert (runs[0].no_email, runs[2].left) == (1, 1)
        unsent = session.scalars(select(Notification).where(Notification.sent_at.is_(None)))
        assert list(unsent) == []
    engine.dispose()


def test_dry_run_prints_and_sends_nothing(notifier):
    output, sent = notifier.run(JOINED, "--dry-run")
    assert sent == []
    assert "Till: Anna Andersson <anna@example.org>\nÄmne: Nytt att göra i Rutinportalen: " \
           "7 saker" in output
    assert "Provkörning 2026-12-01: 9 meddelanden skulle skickas" in output
    assert "Ingenting har skickats." in output
    _, sent = notifier.run(JOINED)  # nothing was claimed by the dry run
    assert len(sent) == 9


def test_a_crash_mid_run_loses_nothing_and_sends_nothing_twice(notifier, smtp_server,
                                                               tmp_path):
    """Kill the process while the server holds the fourth message; run again: every message
    arrives exactly once (the held one was never accepted, so it is sent again)."""
    smtp_server.inbox.hold_after = 3
    env = {**os.environ, **notifier.env}
    command = Path(sys.executable).with_name("rutinportal")  # the installed console script
    log = (tmp_path / "notify.log").open("wb")
    process = subprocess.Popen([str(command), *notifier.args(JOINED)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        assert smtp_server.inbox.holding.wait(60), "the server was never asked for a fourth"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
        log.close()
    assert len(smtp_server.inbox.messages) == 3
    smtp_server.inbox.hold_after = None
    smtp_server.inbox.release.set()
    output, sent = notifier.run(JOINED)
    assert len(sent) == 6 and "varav 6 från en körning som avbröts" in output
    everything = smtp_server.inbox.messages
    assert len(everything) == 9
    assert len({(m["To"], m["X-Rutinportalen"]) for m in everything}) == 9
    _, sent = notifier.run(JOINED)
    assert sent == []


def test_sending_needs_the_mail_settings(built_example, database_url):
    result = CliRunner().invoke(main, ["notify", "--database", database_url, "--site-dir",
                                       str(built_example.site)],
                                env={"RUTINPORTAL_ROOT": str(built_example.root),
                                     "RUTINPORTAL_SMTP_HOST": "", "RUTINPORTAL_MAIL_FROM": "",
                                     "RUTINPORTAL_PUBLIC_URL": "",
                                     "RUTINPORTAL_SMTP_PASSWORD": "hemligt"})
    assert result.exit_code == 1
    assert "Fel: E-post kan inte skickas: sätt RUTINPORTAL_SMTP_HOST, RUTINPORTAL_MAIL_FROM, " \
           "RUTINPORTAL_PUBLIC_URL (se README, E-post)." in result.output
    assert "hemligt" not in result.output
    bad = CliRunner().invoke(main, ["notify", "--dry-run", "--database", database_url],
                             env={"RUTINPORTAL_ROOT": str(built_example.root),
                                  "RUTINPORTAL_SMTP_TLS": "tls"})
    assert bad.exit_code == 1
    assert "Fel: RUTINPORTAL_SMTP_TLS: förväntade en av none, starttls, ssl, fick 'tls'" \
        in bad.output


def test_the_run_log_is_on_the_coordinators_dashboard(notifier, built_example, database_url):
    from ..support import make_client, sign_in, visible_text

    notifier.run(JOINED)
    with make_client(built_example.root, built_example.site, database_url) as client:
        sign_in(client, "sam.samordnare")
        text = visible_text(client.get("/uppfoljning/").text)
        assert "Utskick med e-post" in text
        assert "2026-12-01 9 nytt att göra: 6; påminnelser: 0; veckosammanfattningar till " \
               "chefer: 1; beslut som väntar: 1; översyner: 1; översyner till " \
               "informationsägare: 0 0 1 0" in text
        sign_in(client, "hanna.hemchef")
        assert "Utskick med e-post" not in client.get("/uppfoljning/").text
        client.app.state.engine.dispose()
