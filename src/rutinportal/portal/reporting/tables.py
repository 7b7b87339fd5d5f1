"""The annual report's tables with Swedish column names: the same tables in the Markdown
text and as the sheets of the workbook (one sheet per table), and behind every chart."""

from __future__ import annotations

from dataclasses import dataclass

from ...content.documents import Kind
from ..campaigns.ledger import Count
from ..dashboard.exports import Table
from .figures import AnnualReport

KIND_PLURAL = {Kind.ROUTINE: "Rutiner", Kind.TRAINING: "Utbildningsmoduler",
               Kind.LESSON: "Lärdomar"}
ALL_UNITS = "Alla enheter"


@dataclass(frozen=True)
class ReportTable:
    key: str       # stable name (anchors, tests)
    caption: str   # what the table shows, in Swedish
    table: Table

    @property
    def columns(self) -> tuple[str, ...]:
        return self.table.columns

    @property
    def rows(self):
        return self.table.rows


def _count_row(label: str, count: Count) -> tuple:
    return (label, count.total, count.done, count.percent)


def content_tables(report: AnnualReport) -> list[ReportTable]:
    end = report.end.isoformat()
    figures = report.at_end.figures
    mandatory = sum(1 for r in figures.acknowledgements.routines)
    published = [(KIND_PLURAL[k], n) for k, n in report.published.items()]
    published.insert(1, ("varav obligatoriska rutiner", mandatory))
    changes = ([("Ny", c.id, c.title, c.version, c.on, c.decision) for c in report.new]
               + [("Ny version", c.id, c.title, c.version, c.on, c.decision)
                  for c in report.revised]
               + [("Upphävd", c.id, c.title, c.version, c.on, c.decision)
                  for c in report.retired])
    overdue = [(p.id, p.title, p.next_review, p.days_overdue, p.decision)
               for p in figures.approvals.overdue]
    return [
        ReportTable("publicerat", f"Publicerade styrande dokument {end}.",
                    Table("Publicerat", ("Slag", "Antal"), published)),
        ReportTable("andringar", f"Nya, reviderade och upphävda dokument {report.year} "
                    "(beslutsdatum).",
                    Table("Nya och ändrade", ("Ändring", "Id", "Titel", "Version", "Datum",
                                              "Beslut"), changes)),
        ReportTable("oversyn", f"Dokument vars översyn var försenad {end}.",
                    Table("Försenad översyn", ("Id", "Dokument", "Översyn senast",
                                               "Försenad (dagar)", "Senaste beslut"), overdue)),
    ]


def decision_tables(report: AnnualReport) -> list[ReportTable]:
    times = [(t.body, t.count, t.median, t.longest, t.longest_id, t.returns)
             for t in report.decision_times_by_body]
    overall = report.decision_times
    times.append(("Alla organ", overall.count, overall.median, overall.longest,
                  overall.longest_id, overall.returns))
    decided = [(d.id, d.title, d.version, d.body, d.first_submitted, d.approved_on, d.days,
                d.returns, d.decision) for d in report.decided]
    waiting = [(w.id, w.title, w.version, w.body, w.first_submitted, w.days, w.round_days,
                w.rounds) for w in report.waiting]
    return [
        ReportTable("beslutstider", f"Dagar från första inlämningen till beslut, per "
                    f"beslutande organ, för besluten {report.year}. En återremiss räknas in: "
                    "tiden börjar när dokumentet lämnades in första gången.",
                    Table("Beslutstider", ("Organ", "Beslut", "Median (dagar)",
                                           "Längst (dagar)", "Längst: dokument",
                                           "Återremisser"), times)),
        ReportTable("beslut", f"Varje beslut {report.year}.",
                    Table("Beslut", ("Id", "Titel", "Version", "Organ", "Första inlämning",
                                     "Beslutsdatum", "Dagar", "Återremisser", "Beslut"),
                          decided)),
        ReportTable("vantar", f"Dokument som väntade på beslut {report.end.isoformat()}: "
                    "dagar sedan första inlämningen och sedan inlämningen i den pågående "
                    "omgången (det senare är vad uppföljningen visar).",
                    Table("Väntar på beslut", ("Id", "Titel", "Version", "Organ",
                                               "Första inlämning", "Dagar sedan första",
                                               "Dagar i omgången", "Omgång"), waiting)),
    ]


def communication_tables(report: AnnualReport) -> list[ReportTable]:
    labels = [label for label, _ in report.quarters]
    acks = report.at_end.figures.acknowledgements
    by_routine = []
    for routine in acks.routines:
        by_routine.append((routine.document.id, routine.document.title, ALL_UNITS,
                           routine.rate.done, routine.rate.total, routine.rate.percent))
        by_routine += [(routine.document.id, routine.document.title, u.unit.name, u.rate.done,
                        u.rate.total, u.rate.percent) for u in routine.units]
    units = [s.unit.name for s in acks.units]
    per_quarter = {label: {s.unit.name: s.rate for s in m.figures.acknowledgements.units}
                   for label, m in report.quarters}
    unit_rows = [(unit, *(per_quarter[q].get(unit).percent if per_quarter[q].get(unit)
                          else None for q in labels)) for unit in units]
    unit_rows.append((ALL_UNITS, *(m.figures.acknowledgements.rate.percent
                                   for _, m in report.quarters)))
    routine_quarter = {label: {r.document.id: r.rate for r in m.figures.acknowledgements.routines}
                       for label, m in report.quarters}
    routine_rows = [(r.document.id, r.document.title,
                     *(routine_quarter[q][r.document.id].percent
                       if r.document.id in routine_quarter[q] else None for q in labels))
                    for r in acks.routines]
    return [
        ReportTable("kvittenser-enhet-kvartal", "Andel (%) av de krävda kvittenserna av "
                    "obligatoriska rutiner som var gjorda i slutet av varje kvartal, per enhet. "
                    "Den som var frånvarande räknas inte.",
                    Table("Kvittenser per kvartal", ("Enhet", *labels), unit_rows)),
        ReportTable("kvittenser-rutin-kvartal", "Andel (%) av målgruppen som hade kvitterat "
                    "varje obligatorisk rutin i slutet av varje kvartal.",
                    Table("Rutiner per kvartal", ("Id", "Rutin", *labels), routine_rows)),
        ReportTable("kvittenser-rutin-enhet", f"Kvittenser av varje obligatorisk rutin per "
                    f"enhet {report.end.isoformat()}.",
                    Table("Rutiner per enhet", ("Id", "Rutin", "Enhet", "Kvitterat",
                                                "Antal i målgruppen", "Andel (%)"),
                          by_routine)),
    ]


def training_tables(report: AnnualReport) -> list[ReportTable]:
    end = report.end.isoformat()
    nis2 = [_count_row(unit, c) for unit, c in report.nis2_by_unit]
    nis2.append(_count_row(ALL_UNITS, report.at_end.figures.training.rate))
    staff = [_count_row(unit, c) for unit, c in report.staff_by_unit]
    staff.append(_count_row(ALL_UNITS, report.staff_course.rate))
    quizzes = [(q.title, q.quiz_id, q.tried, q.first,
                q.first * 100 // q.tried if q.tried else None, q.passed)
               for q in report.quizzes]
    return [
        ReportTable("nis2", f"Chefer och sektorsledning som har genomfört hela "
                    f"NIS2-utbildningen för ledningen, per enhet de är chef för, {end}.",
                    Table("NIS2-utbildning", ("Enhet", "Chefer", "Genomfört", "Andel (%)"),
                          nis2)),
        ReportTable("grundutbildning", f"Medarbetare som har genomfört hela "
                    f"grundutbildningen i informationssäkerhet, per enhet, {end}.",
                    Table("Grundutbildning", ("Enhet", "Medarbetare", "Genomfört",
                                              "Andel (%)"), staff)),
        ReportTable("forsta-forsoket", f"Kunskapstesten (i den version som gällde {end}): "
                    "hur många som har gjort testet, och godkänts på första försöket.",
                    Table("Första försöket", ("Kunskapstest", "Id", "Har gjort testet",
                                              "Godkänt första försöket", "Andel (%)",
                                              "Godkänt till slut"), quizzes)),
    ]


def lesson_tables(report: AnnualReport) -> list[ReportTable]:
    rows = [(lesson.id, lesson.title, lesson.approved_on, lesson.new,
             ", ".join(f"{rid} {title}" for rid, title in lesson.routines) or None)
            for lesson in report.lessons]
    return [ReportTable("lardomar", f"Publicerade lärdomar {report.end.isoformat()} och "
                        "rutinerna de leder till.",
                        Table("Lärdomar", ("Id", "Lärdom", "Beslutad", f"Ny {report.year}",
                                           "Kopplade rutiner"), rows))]


def report_tables(report: AnnualReport) -> dict[str, list[ReportTable]]:
    """The tables, by the section of the report they belong to."""
    return {"innehall": content_tables(report), "beslut": decision_tables(report),
            "kommunikation": communication_tables(report),
            "utbildning": training_tables(report), "lardomar": lesson_tables(report)}
