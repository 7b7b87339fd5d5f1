"""The dashboard's tables with Swedish column names, for the CSV and XLSX exports."""

from __future__ import annotations

from ..campaigns.exceptions import describe
from ..meetings.service import MeetingRow
from .attempts import QuizProgress
from .exports import Table
from .figures import Figures

# Table name in the URL → how the overview's download links name it.
TABLES = {"rutiner": "kvittenser per rutin", "enheter": "kvittenser per enhet",
          "utbildning": "NIS2-utbildning för chefer", "saknas": "vem som saknar kvittens",
          "beslut": "beslut och översyn", "kunskapstest": "försök till godkänt kunskapstest",
          "apt": "genomgångar på APT"}


def _missing_row(acks, routine, unit, person, today) -> tuple:
    obligation = acks.obligation(routine, person)
    exceptions = "; ".join(describe(e) for e in acks.ledger.exceptions.get(person.pk, ()))
    return (routine.document.id, routine.document.title, unit.unit.name, person.name,
            person.person_id, obligation.due if obligation else None,
            obligation.days_overdue(today) if obligation and obligation.overdue else 0,
            exceptions or None)


def export_tables(data: Figures, name, progress: list[QuizProgress],
                  meetings: list[MeetingRow] = ()) -> dict[str, Table]:
    """The dashboard's tables, with Swedish column names, by their name in the URL."""
    acks, training, pending = data.acknowledgements, data.training, data.approvals
    routines = Table("Rutiner", ("Id", "Rutin", "Kvitterat", "Saknas", "Antal i målgruppen",
                                 "Andel (%)"),
                     [(r.document.id, r.document.title, r.rate.done, r.rate.missing,
                       r.rate.total, r.rate.percent) for r in acks.routines])
    units = Table("Enheter", ("Enhet", "Medarbetare", "Kvitterat", "Saknas",
                              "Krävda kvittenser", "Andel (%)"),
                  [(s.unit.name, s.people, s.rate.done, s.rate.missing, s.rate.total,
                    s.rate.percent) for s in acks.units])
    managers = Table("NIS2-utbildning", ("Chef", "Personid", "Enhet", "Chef för",
                                         "Moduler klara", "Antal moduler", "Andel (%)",
                                         "Saknas"),
                     [(m.person.name, m.person.person_id, ", ".join(name(u) for u in m.units),
                       ", ".join(name(u) for u in m.manages), m.rate.done, m.rate.total,
                       m.rate.percent, ", ".join(f"{d.id} {d.title}" for d in m.missing))
                      for m in training.managers])
    missing = Table("Saknar kvittens", ("Id", "Rutin", "Enhet", "Namn", "Personid",
                                        "Senast", "Försenad (dagar)", "Undantag"),
                    [_missing_row(acks, r, u, p, data.today)
                     for r in acks.routines for u in r.units for p in acks.missing(u)])
    decisions = Table("Beslut och översyn", ("Id", "Dokument", "Ärende", "Status",
                                             "Väntat (dagar)", "Nästa översyn",
                                             "Försenad (dagar)", "Senaste beslut",
                                             "Beslutat av"),
                      [(p.id, p.title, "Väntar på beslut", p.status, p.days_waiting,
                        p.next_review, p.days_overdue, p.decision, p.approved_by)
                       for p in pending.waiting]
                      + [(p.id, p.title, "Försenad översyn", p.status, p.days_waiting,
                          p.next_review, p.days_overdue, p.decision, p.approved_by)
                         for p in pending.overdue])
    attempts = Table("Kunskapstest", ("Namn", "Personid", "Enhet", "Kunskapstest", "Id",
                                      "Försök", "Försök till godkänt", "Godkänt"),
                     [(p.person.name, p.person.person_id, ", ".join(name(u) for u in p.units),
                       p.quiz_title, p.quiz_id, p.attempts, p.until_pass,
                       p.until_pass is not None) for p in progress])
    apt = Table("Genomgångar på APT", ("Datum", "Enhet", "Vittne (chef)", "Rutiner",
                                        "Deltagare", "Nya kvittenser (källa apt)"),
                [(m.held_on, name(m.unit_id), m.witness, m.documents, m.attendees, m.recorded)
                 for m in meetings])
    return {"rutiner": routines, "enheter": units, "utbildning": managers, "saknas": missing,
            "beslut": decisions, "kunskapstest": attempts, "apt": apt}
