"""Acknowledgement throughput and latency with 50 concurrent clients, against `/api/health`.

One uvicorn process per database (SQLite file; PostgreSQL), 3,000 people on the roster.
Each repetition sends a bounded burst of trivial requests (`GET /api/health`, the ceiling of
the same app on the same server) and a burst of acknowledgements (`POST
/api/acknowledgements`, each person a new record of a published routine, signed in by the SSO
header with the CSRF token), alternating which goes first; medians over the repetitions.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from rutinportal.portal.storage.db import make_engine
from rutinportal.portal.storage.models import Acknowledgement

from . import dbfill, report
from .server import LoadResult, Server, load, request

TARGET_SHARE = 0.5
TARGET_P99_S = 0.100


def published_routines(site: Path) -> list[tuple[str, int, str]]:
    data = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return [(d["id"], d["version"], d["sha256"]) for d in data["documents"]
            if d["kind"] == "routine"]


def units_of(root: Path) -> list[str]:
    from rutinportal.content.organisation import load_organisation

    organisation, _ = load_organisation(root)
    return [u.id for u in organisation.units]


def _summary(runs: list[LoadResult]) -> dict:
    return {
        "runs": [{"requests": r.requests, "seconds": r.seconds, "throughput": r.throughput,
                  "p50_ms": 1000 * report.percentile(r.latencies_s, 0.50),
                  "p99_ms": 1000 * report.percentile(r.latencies_s, 0.99),
                  "statuses": r.statuses, "errors": len(r.errors)} for r in runs],
        "throughput": report.median([r.throughput for r in runs]),
        "p50_ms": report.median([1000 * report.percentile(r.latencies_s, 0.50) for r in runs]),
        "p99_ms": report.median([1000 * report.percentile(r.latencies_s, 0.99) for r in runs]),
    }


def _expect(result: LoadResult, status: int, what: str) -> None:
    if result.errors or set(result.statuses) != {status}:
        raise AssertionError(f"{what}: expected only {status}, got {result.statuses}; "
                             f"errors: {result.errors[:5]}")


def bench_database(label: str, url: str, root: Path, site: Path, workdir: Path, *,
                   people: int = 3000, requests: int = 3000, clients: int = 50,
                   repeat: int = 3, log=print) -> dict:
    engine = make_engine(url)
    roster = dbfill.fill_people(engine, people, units_of(root))
    engine.dispose()
    routines = published_routines(site)
    if len(routines) < repeat + 1:
        raise ValueError("the site needs more published routines than repetitions")
    health_runs: list[LoadResult] = []
    ack_runs: list[LoadResult] = []
    with Server(root, site, url, workdir / f"server-{label}.log") as server:
        port = server.port
        health = [request("GET", "/api/health", port=port)] * requests

        def acks(document: tuple[str, int, str], persons: list[str]) -> list[bytes]:
            doc_id, version, _ = document
            return [request("POST", "/api/acknowledgements", person=p, port=port,
                            payload={"document_id": doc_id, "version": version})
                    for p in persons]

        # Warm-up: connections, imports, the database's caches; not counted.
        _expect(load(port, health[:500], clients), 200, "warm-up health")
        _expect(load(port, acks(routines[0], roster.person_ids[:500]), clients), 201,
                "warm-up acknowledgements")
        for n in range(repeat):
            burst = acks(routines[n + 1], roster.person_ids[:requests])
            for which in (("health", "ack") if n % 2 == 0 else ("ack", "health")):
                if which == "health":
                    result = load(port, health, clients)
                    _expect(result, 200, "GET /api/health")
                    health_runs.append(result)
                else:
                    result = load(port, burst, clients)
                    _expect(result, 201, "POST /api/acknowledgements")
                    ack_runs.append(result)
                log(f"  {label:10} {which:6}: {result.throughput:7.0f} req/s, "
                    f"p50 {1000 * report.percentile(result.latencies_s, 0.5):6.1f} ms, "
                    f"p99 {1000 * report.percentile(result.latencies_s, 0.99):6.1f} ms")
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Acknowledgement))
    engine.dispose()
    expected = 500 + repeat * requests
    if stored != expected:
        raise AssertionError(f"{label}: {stored} acknowledgements stored, expected {expected}")
    result = {"database": label, "clients": clients, "requests_per_run": requests,
              "repeat": repeat, "health": _summary(health_runs), "ack": _summary(ack_runs),
              "stored": stored}
    result["share_of_ceiling"] = result["ack"]["throughput"] / result["health"]["throughput"]
    result["met"] = (result["share_of_ceiling"] >= TARGET_SHARE
                     and result["ack"]["p99_ms"] < 1000 * TARGET_P99_S)
    return result


def print_acks(results: list[dict]) -> str:
    rows = []
    for r in results:
        for which, name in (("health", "GET /api/health"), ("ack", "POST /api/acknowledgements")):
            s = r[which]
            rows.append([r["database"], name, round(s["throughput"]), s["p50_ms"], s["p99_ms"],
                         f"{r['share_of_ceiling']:.0%}" if which == "ack" else "(tak)"])
    clients = results[0]["clients"] if results else 50
    requests = results[0]["requests_per_run"] if results else 0
    return report.table(
        f"c. Kvittenser: {clients} samtidiga klienter, {requests:,} anrop per körning, median",
        ["databas", "anrop", "anrop/s", "p50 ms", "p99 ms", "andel av taket"], rows) + \
        (f"\nMål: minst {TARGET_SHARE:.0%} av taket (GET /api/health i samma app), "
         f"p99 under {TARGET_P99_S * 1000:.0f} ms.")
