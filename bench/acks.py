"""Acknowledgement throughput and latency with 50 concurrent clients, against `/api/health`.

One uvicorn process per database (SQLite file; PostgreSQL), 3,000 people on the roster.
Each repetition sends a bounded run of trivial requests (`GET /api/health`, the ceiling of
the same app on the same server) and a run of acknowledgements (`POST
/api/acknowledgements`, each a new person/document pair of a published routine, signed in by
the SSO header with the CSRF cookie/header pair), alternating which goes first; medians over
the repetitions. The load comes from Debian's `wrk` with one thread (`bench.wrk`); without it,
from the small asyncio client of `bench.server`, which takes a core's share itself (the
results say which). Every run must answer only 201 (200 for health), and the database must
hold a row for every 201.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from rutinportal.portal.storage.db import make_engine
from rutinportal.portal.storage.models import Acknowledgement

from . import dbfill, report, wrk
from .server import Server, load, request

TARGET_SHARE = 0.5
TARGET_P99_S = 0.100


def published_routines(site: Path) -> list[tuple[str, int]]:
    data = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return [(d["id"], d["version"]) for d in data["documents"] if d["kind"] == "routine"]


def units_of(root: Path) -> list[str]:
    from rutinportal.content.organisation import load_organisation

    organisation, _ = load_organisation(root)
    return [u.id for u in organisation.units]


@dataclass
class Run:
    """One bounded run: what came back, and how fast."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    errors: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


class Load:
    """Health and acknowledgement runs against one server, by wrk or by the asyncio client.

    wrk runs last `seconds` each; the asyncio client sends `count` requests. Request n of the
    acknowledgement runs is a pair never used before: person n mod P, routine n div P (as
    `bench.wrk` does); each run has its own range of pairs.
    """

    MAX_RATE = 12_000  # requests a second a run is given pairs for (wrk stops short of it)

    def __init__(self, port: int, workdir: Path, people: int,
                 routines: list[tuple[str, int]], clients: int):
        self.port, self.workdir, self.people = port, workdir, people
        self.routines, self.clients = routines, clients
        self.tool = "wrk" if wrk.available() else "asyncio"
        self.next_pair = 0
        self.sent = 0  # acknowledgements sent

    def health(self, count: int, seconds: int) -> Run:
        if self.tool == "wrk":
            limit = self.MAX_RATE * seconds
            return self._wrk(wrk.script("health", limit=limit, clients=self.clients), limit,
                             seconds)
        raw = request("GET", "/api/health", port=self.port)
        return self._asyncio([raw] * count)

    def acks(self, count: int, seconds: int) -> Run:
        size = self.MAX_RATE * seconds if self.tool == "wrk" else count
        first = self.next_pair
        self.next_pair += size
        if self.next_pair > self.people * len(self.routines):
            raise ValueError(f"{self.people} people × {len(self.routines)} routines are too "
                             "few new pairs for these runs")
        if self.tool == "wrk":
            run = self._wrk(wrk.script("ack", limit=size, clients=self.clients, first=first,
                                       people=self.people, documents=self.routines),
                            size, seconds)
            return run
        raws = []
        for n in range(first, first + count):
            doc, version = self.routines[n // self.people]
            raws.append(request("POST", "/api/acknowledgements", port=self.port,
                                person=f"p{n % self.people:05d}",
                                payload={"document_id": doc, "version": version}))
        self.sent += count
        return self._asyncio(raws)

    def _wrk(self, lua: str, limit: int, seconds: int) -> Run:
        r = wrk.run(self.port, lua, self.workdir, limit=limit, seconds=seconds,
                    clients=self.clients)
        if "/api/acknowledgements" in lua:
            self.sent += r.sent
        return Run(r.requests, r.seconds, r.p50_ms, r.p99_ms, r.statuses,
                   sum(r.errors.values()) - r.errors.get("status", 0))

    def _asyncio(self, raws: list[bytes]) -> Run:
        r = load(self.port, raws, self.clients)
        return Run(r.requests, r.seconds, 1000 * report.percentile(r.latencies_s, 0.50),
                   1000 * report.percentile(r.latencies_s, 0.99), r.statuses, len(r.errors))


def _summary(runs: list[Run]) -> dict:
    return {
        "runs": [{"requests": r.requests, "seconds": round(r.seconds, 3),
                  "throughput": round(r.throughput, 1), "p50_ms": r.p50_ms,
                  "p99_ms": r.p99_ms, "statuses": r.statuses, "errors": r.errors}
                 for r in runs],
        "throughput": report.median([r.throughput for r in runs]),
        "throughput_range": [min(r.throughput for r in runs), max(r.throughput for r in runs)],
        "p50_ms": report.median([r.p50_ms for r in runs]),
        "p99_ms": report.median([r.p99_ms for r in runs]),
        "p99_range_ms": [min(r.p99_ms for r in runs), max(r.p99_ms for r in runs)],
    }


def _expect(result: Run, status: int, what: str) -> None:
    if result.errors or set(result.statuses) != {status}:
        raise AssertionError(f"{what}: expected only {status}, got {result.statuses}; "
                             f"{result.errors} socket errors")


def bench_database(label: str, url: str, root: Path, site: Path, workdir: Path, *,
                   people: int = 3000, requests: int = 3000, seconds: int = 8,
                   clients: int = 50, repeat: int = 3, workers: int = 1, log=print) -> dict:
    engine = make_engine(url)
    dbfill.fill_people(engine, people, units_of(root))
    engine.dispose()
    health_runs: list[Run] = []
    ack_runs: list[Run] = []
    with Server(root, site, url, workdir / f"server-{label}.log", workers=workers) as server:
        runner = Load(server.port, workdir, people, published_routines(site), clients)
        # Warm-up: connections, imports, the database's caches; not counted.
        _expect(runner.health(min(requests, 2000), 2), 200, "warm-up health")
        warm = runner.acks(min(requests, 1000), 2)
        _expect(warm, 201, "warm-up acknowledgements")
        created = warm.statuses.get(201, 0)
        for n in range(repeat):
            for which in (("health", "ack") if n % 2 == 0 else ("ack", "health")):
                if which == "health":
                    result = runner.health(requests, seconds)
                    _expect(result, 200, "GET /api/health")
                    health_runs.append(result)
                else:
                    result = runner.acks(requests, seconds)
                    _expect(result, 201, "POST /api/acknowledgements")
                    created += result.statuses[201]
                    ack_runs.append(result)
                log(f"  {label:10} {which:6}: {result.throughput:7.0f} req/s, "
                    f"p50 {result.p50_ms:6.1f} ms, p99 {result.p99_ms:6.1f} ms ({runner.tool})")
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Acknowledgement))
    engine.dispose()
    # Every 201 is a row; wrk ends a run with requests in flight, which the server may still
    # have committed (never more than were sent).
    if not created <= stored <= runner.sent:
        raise AssertionError(f"{label}: {stored} acknowledgements stored, {created} answered "
                             f"201, {runner.sent} sent")
    result = {"database": label, "clients": clients,
              "per_run": f"{seconds} s" if runner.tool == "wrk" else f"{requests} requests",
              "repeat": repeat, "workers": workers, "load_generator": runner.tool,
              "health": _summary(health_runs), "ack": _summary(ack_runs),
              "answered_201": created, "stored": stored}
    result["share_of_ceiling"] = result["ack"]["throughput"] / result["health"]["throughput"]
    result["share_per_run"] = [a.throughput / h.throughput
                               for a, h in zip(ack_runs, health_runs)]
    result["met"] = (result["share_of_ceiling"] >= TARGET_SHARE
                     and result["ack"]["p99_ms"] < 1000 * TARGET_P99_S)
    return result


def print_acks(results: list[dict]) -> str:
    rows = []
    for r in results:
        for which, name in (("health", "GET /api/health"), ("ack", "POST /api/acknowledgements")):
            s = r[which]
            low, high = s["throughput_range"]
            share = (f"{r['share_of_ceiling']:.0%} ({min(r['share_per_run']):.0%}–"
                     f"{max(r['share_per_run']):.0%})") if which == "ack" else "(tak)"
            label = r["database"] + (f" ×{r['workers']}" if r.get("workers", 1) > 1 else "")
            rows.append([label, name, round(s["throughput"]), f"{low:.0f}–{high:.0f}",
                         s["p50_ms"], s["p99_ms"], share])
    first = results[0] if results else {}
    return report.table(
        f"c. Kvittenser: {first.get('clients', 50)} samtidiga klienter, "
        f"{first.get('per_run', '?')} per körning, median "
        f"(last från {first.get('load_generator', '?')})",
        ["databas", "anrop", "anrop/s", "spridning", "p50 ms", "p99 ms", "andel av taket"],
        rows) + \
        (f"\nMål: minst {TARGET_SHARE:.0%} av taket (GET /api/health i samma app), "
         f"p99 under {TARGET_P99_S * 1000:.0f} ms.")
