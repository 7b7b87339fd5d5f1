"""`/uppfoljning/` for sector leadership with 3,000 people × 200 routines of acknowledgements.

The database is filled directly (bulk inserts: people, memberships, ~560,000
acknowledgements); the site is a built corpus of 200 approved routines. The page is fetched
over HTTP from a uvicorn process, signed in by the SSO header as a person with the role
`sektorsledning`: first once cold (the portal loads the catalogue then), then sequentially
`repeat` times; the median of those counts.
"""

from __future__ import annotations

from pathlib import Path

from rutinportal.portal.storage.db import make_engine

from . import dbfill, report
from .acks import published_routines, units_of
from .server import Server, get

PATH = "/uppfoljning/"
TARGET_S = 0.5


def bench_database(label: str, url: str, root: Path, site: Path, workdir: Path, *,
                   people: int = 3000, repeat: int = 7, log=print) -> dict:
    engine = make_engine(url)
    roster = dbfill.fill_people(engine, people, units_of(root))
    routines = published_routines(site)
    rows = dbfill.fill_acknowledgements(engine, roster, routines)
    if engine.dialect.name == "postgresql":
        dbfill.analyze(engine)
    engine.dispose()
    log(f"  {label:10}: {people:,} people, {len(routines)} routines, {rows:,} acknowledgements")
    with Server(root, site, url, workdir / f"server-dashboard-{label}.log") as server:
        status, cold, body = get(server.port, PATH, person=dbfill.LEADER)
        if status != 200:
            raise AssertionError(f"GET {PATH} as leadership: {status}\n"
                                 f"{body[:2000].decode(errors='replace')}")
        times = []
        for _ in range(repeat):
            status, seconds, _ = get(server.port, PATH, person=dbfill.LEADER)
            if status != 200:
                raise AssertionError(f"GET {PATH}: {status}")
            times.append(seconds)
    result = {"database": label, "people": people, "routines": len(routines),
              "acknowledgements": rows, "cold_s": cold, "runs_s": times,
              "median_s": report.median(times), "p_max_s": max(times),
              "html_bytes": len(body), "target_s": TARGET_S}
    result["met"] = result["median_s"] < TARGET_S
    log(f"  {label:10}: cold {cold:.3f} s, median {result['median_s']:.3f} s")
    return result


def route_exists() -> bool:
    """Whether the portal has the dashboard route yet (another part of the project)."""
    try:
        from rutinportal.portal.dashboard.routes import router
    except ImportError:
        return False

    return any(getattr(r, "path", "") == PATH for r in router.routes)


def print_dashboard(results: list[dict]) -> str:
    rows = [[r["database"], r["people"], r["routines"], r["acknowledgements"], r["cold_s"],
             r["median_s"], r["p_max_s"], "ja" if r["met"] else "nej"] for r in results]
    runs = len(results[0]["runs_s"]) if results else 0
    return report.table(
        f"d. /uppfoljning/ som sektorsledning (median av {runs} anrop efter ett första kallt)",
        ["databas", "personer", "rutiner", "kvittenser", "kallt s", "median s", "max s",
         f"< {TARGET_S:g} s"], rows)
