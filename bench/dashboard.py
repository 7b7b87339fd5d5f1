"""`/uppfoljning/` and its drill-downs with 3,000 people × 200 routines of acknowledgements.

The database is filled directly (bulk inserts) with what a follow-up database holds after
some years: people (3 % who left, 5 % who joined lately, a few DISK and system
administrators), ~555,000 acknowledgements spread from each version's approval to today
(about 5 % of them gone through at a workplace meeting, APT), the meetings and who attended,
exceptions (away, later due dates, some taken back) and quiz attempts. The site is a built
corpus of 200 approved routines where every fourth mandatory one expires after 12 months
(`renew_months`, so renewals fall due); in the repository the portal reads, one routine for
everybody has a new version waiting for a decision (the Beslut page counts who must
acknowledge it).

Each page is fetched over HTTP from a uvicorn process, signed in by the SSO header as a
person with the role `sektorsledning`: the overview once cold (the portal loads the catalogue
and reads the acknowledgements then), every page once to warm up, then `repeat` rounds of
every page in turn (so that a moment of load on the shared machine falls on all pages alike);
per page the median of its rounds and the spread (fastest, slowest). The overview is also
fetched right after a new acknowledgement of a mandatory routine (posted through the API,
not timed): what the dashboard costs while a campaign runs, when what it counts has changed
since the last request.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from rutinportal.portal.storage.db import make_engine
from rutinportal.portal.storage.models import Acknowledgement

from . import corpus, dbfill, followup, report
from .acks import units_of
from .server import Server, get

PATH = "/uppfoljning/"
OVERVIEW_TARGET_S = 0.15
DRILL_DOWN_TARGET_S = 0.1
RENEW_EVERY = 4  # every fourth mandatory routine of the corpus expires (renew_months: 12)


@dataclass(frozen=True)
class Page:
    name: str   # in Swedish, for the table
    path: str
    target_s: float
    after_ack: bool = False  # each fetch right after a new acknowledgement (not timed)


def waiting_repository(root: Path, target: Path, document_id: str) -> Path:
    """A copy of the corpus at `target` where `document_id` has a new version submitted
    (as `rutinportal revise`, a change and `rutinportal submit` leave it)."""
    from rutinportal.content.catalogue import Catalogue

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root, target)
    doc = Catalogue.load(target).documents[document_id]
    path = target / doc.shown
    text = corpus.revise_text(path.read_text(encoding="utf-8"), doc.content.version)
    body = text[text.index("\n---\n", 3) + len("\n---\n"):]
    text = corpus.submit_text(corpus._replace_body(text, body + "\nEn ändring i sak.\n"),
                              dt.date.today())
    path.write_text(text, encoding="utf-8")
    catalogue = Catalogue.load(target)
    if catalogue.problems or catalogue.documents[document_id].status.value != "submitted":
        raise AssertionError("the waiting version does not pass rutinportal check: "
                             + "; ".join(map(str, catalogue.problems[:5])))
    return target


def widest_routine(documents: list[dbfill.Document]) -> dbfill.Document:
    """The mandatory routine for everybody (`alla`), one that expires if there is one."""
    mandatory = [d for d in documents if d.mandatory]
    return max(mandatory, key=lambda d: ("alla" in d.audience, bool(d.renew_months),
                                         len(d.audience), d.id))


def pages(roster: dbfill.Roster, routine: dbfill.Document, away_or_extended: set[int]
          ) -> list[Page]:
    active = [(n, pid) for n, pid in enumerate(roster.person_ids) if n + 1 not in roster.left]
    unit = Counter(roster.units[pid] for _, pid in active).most_common(1)[0][0]
    person = next((pid for n, pid in active
                   if roster.units[pid] == unit and n + 1 in away_or_extended),
                  next(pid for _, pid in active if roster.units[pid] == unit))
    return [Page("översikt", PATH, OVERVIEW_TARGET_S),
            Page("översikt, ny kvittens", PATH, OVERVIEW_TARGET_S, after_ack=True),
            Page(f"rutin {routine.id}", f"{PATH}rutiner/{routine.id}/", DRILL_DOWN_TARGET_S),
            Page(f"enhet {unit}", f"{PATH}enheter/{unit}/", DRILL_DOWN_TARGET_S),
            Page(f"person {person}", f"{PATH}personer/{person}/", DRILL_DOWN_TARGET_S),
            Page("beslut", "/beslut/", DRILL_DOWN_TARGET_S)]


def unacknowledged(engine, roster: dbfill.Roster, documents: list[dbfill.Document],
                   count: int) -> list[tuple[str, dbfill.Document]]:
    """`count` pairs of an active person and a mandatory routine they have not acknowledged
    (each a change to what the dashboard counts), spread over people and routines."""
    mandatory = [d for d in documents if d.mandatory]
    with engine.connect() as connection:
        done = set(connection.execute(
            select(Acknowledgement.person_pk, Acknowledgement.document_id)
            .where(Acknowledgement.document_id.in_([d.id for d in mandatory]))).tuples())
    pairs = [(pid, d) for n, pid in enumerate(roster.person_ids) if n + 1 not in roster.left
             for d in mandatory if (n + 1, d.id) not in done]
    return pairs[::max(1, len(pairs) // count)][:count]


def fill(url: str, root: Path, site: Path, people: int, changes: int = 0
         ) -> tuple[dict, list[Page], list[tuple[str, dbfill.Document]]]:
    """The database at `url`, filled; what it holds, the pages to fetch and `changes` new
    acknowledgements to make."""
    engine = make_engine(url)
    roster = dbfill.fill_people(engine, people, units_of(root), history=True)
    documents = dbfill.published_documents(site)
    meetings = dbfill.fill_meetings(engine, roster, documents)
    acks = dbfill.fill_acknowledgements(engine, roster, documents, meetings=meetings)
    exceptions = followup.fill_exceptions(engine, roster, documents)
    attempts = followup.fill_quiz_attempts(engine, roster, documents,
                                           followup.quiz_versions(site))
    if engine.dialect.name == "postgresql":
        dbfill.analyze(engine)
    fresh = unacknowledged(engine, roster, documents, changes)
    engine.dispose()
    routine = widest_routine(documents)
    held = {"people": people, "left": len(roster.left), "routines": len(documents),
            "renewing": sum(1 for d in documents if d.renew_months),
            "acknowledgements": acks, "meetings": sum(map(len, meetings.by_unit.values())),
            "exceptions": sum(exceptions.values()), "quiz_attempts": attempts}
    return held, pages(roster, routine, set(exceptions)), fresh


def bench_database(label: str, url: str, root: Path, site: Path, workdir: Path, *,
                   people: int = 3000, repeat: int = 15, log=print) -> dict:
    held, wanted, fresh = fill(url, root, site, people, changes=repeat + 1)
    log(f"  {label:10}: {held['people']:,} people ({held['left']} left), "
        f"{held['routines']} routines ({held['renewing']} renewing), "
        f"{held['acknowledgements']:,} acknowledgements, {held['meetings']} APT meetings, "
        f"{held['exceptions']} exceptions, {held['quiz_attempts']:,} quiz attempts")
    with Server(root, site, url, workdir / f"server-dashboard-{label}.log") as server:
        cold = _fetch(server.port, wanted[0].path)[0]
        sizes = {page.name: len(_fetch(server.port, page.path)[1]) for page in wanted}
        times: dict[str, list[float]] = {page.name: [] for page in wanted}
        for _ in range(repeat):
            for page in wanted:
                if page.after_ack:
                    _acknowledge(server.port, *fresh.pop())
                times[page.name].append(_fetch(server.port, page.path)[0])
    rows = []
    for page in wanted:
        runs = times[page.name]
        median = report.median(runs)
        rows.append({"page": page.name, "path": page.path, "runs_s": runs,
                     "median_s": median, "min_s": min(runs), "max_s": max(runs),
                     "html_bytes": sizes[page.name], "target_s": page.target_s,
                     "met": median < page.target_s})
        log(f"  {label:10}: {page.name:22} median {median:.3f} s "
            f"({min(runs):.3f}–{max(runs):.3f})")
    return {"database": label, **held, "cold_s": cold, "pages": rows,
            "met": all(r["met"] for r in rows)}


def _acknowledge(port: int, person_id: str, document: dbfill.Document) -> None:
    status, _, body = get(port, "/api/acknowledgements", person=person_id, method="POST",
                          payload={"document_id": document.id, "version": document.version})
    if status != 201:
        raise AssertionError(f"POST /api/acknowledgements as {person_id}: {status}\n"
                             f"{body[:2000].decode(errors='replace')}")


def _fetch(port: int, path: str) -> tuple[float, bytes]:
    status, seconds, body = get(port, path, person=dbfill.LEADER)
    if status != 200:
        raise AssertionError(f"GET {path} as leadership: {status}\n"
                             f"{body[:2000].decode(errors='replace')}")
    return seconds, body


def route_exists() -> bool:
    """Whether the portal has the dashboard route yet (another part of the project)."""
    try:
        from rutinportal.portal.dashboard.routes import router
    except ImportError:
        return False

    return any(getattr(r, "path", "") == PATH for r in router.routes)


def print_dashboard(results: list[dict]) -> str:
    rows = [[r["database"], page["page"], page["median_s"], page["min_s"], page["max_s"],
             f"< {page['target_s']:g} s", "ja" if page["met"] else "nej"]
            for r in results for page in r["pages"]]
    runs = len(results[0]["pages"][0]["runs_s"]) if results else 0
    held = results[0] if results else {}
    return report.table(
        f"d. /uppfoljning/ och dess sidor som sektorsledning, {held.get('people', 0):,} "
        f"personer, {held.get('routines', 0)} rutiner, "
        f"{held.get('acknowledgements', 0):,} kvittenser (median av {runs} varv över alla "
        "sidor, efter ett första kallt)",
        ["databas", "sida", "median s", "min s", "max s", "mål", "uppfyllt"], rows)
