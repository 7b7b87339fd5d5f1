"""Run the benchmarks: `python -m bench.run` (or `python bench/run.py`; `make bench`).

    python -m bench.run                 everything (10–20 minutes on 2 cores)
    python -m bench.run --only build    one or more of: build, transfer, check, ack, dashboard,
                                        notify, evidence
    python -m bench.run --quick         small sizes, to see that it all works (minutes)

Prints one table per benchmark and writes them all, with the machine, to
var/bench/results.json (updated after each benchmark). Work files go to a temporary folder
that is removed afterwards (--keep keeps it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from contextlib import ExitStack
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

from bench import builds, check, corpus, machine, report  # noqa: E402

BENCHMARKS = ("build", "transfer", "check", "ack", "dashboard", "notify", "evidence")
FULL = {"builds": [(100, 3), (1000, 3), (3000, 2)], "check_size": 3000, "check_repeat": 3,
        "ack_requests": 3000, "ack_seconds": 6, "ack_repeat": 3, "ack_people": 3000,
        "ack_pg_workers": 2, "clients": 50,
        "portal_size": 100, "dashboard_size": 200, "dashboard_people": 3000,
        "dashboard_repeat": 15, "notify_people": 3000, "evidence_people": 3000}
QUICK = {**FULL, "builds": [(50, 1), (150, 1)], "check_size": 150, "check_repeat": 1,
         "ack_requests": 500, "ack_seconds": 2, "ack_repeat": 1, "ack_people": 600,
         "dashboard_people": 300, "dashboard_repeat": 3, "notify_people": 300,
         "evidence_people": 300}


def log(message: str) -> None:
    print(message, flush=True)


def built_site(workdir: Path, size: int, renew_every: int = 0) -> tuple[Path, Path]:
    """A corpus and its production site, built once for the portal benchmarks (not timed);
    `renew_every`: see `corpus.specs`."""
    name = f"{size}-renew{renew_every}" if renew_every else f"{size}"
    root = workdir / f"corpus-{name}"
    if not root.exists():
        corpus.make_corpus(root, size, renew_every=renew_every)
    site = workdir / f"site-portal-{name}"
    if not (site / "catalog.json").exists():
        builds.child("build", root, site)
    return root, site


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def run(args: argparse.Namespace) -> int:
    plan = QUICK if args.quick else FULL
    only = args.only or list(BENCHMARKS)
    workdir = Path(args.workdir) if args.workdir else \
        Path(tempfile.mkdtemp(prefix="rutinportal-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = report.load() if args.only else {}
    results.pop("errors", None)  # what failed in an earlier run is not this run's
    results["machine"] = machine.info()
    results["plan"] = {"quick": args.quick, **{k: v for k, v in plan.items()}}
    tables: dict[str, str] = {}
    failures = 0
    log(f"Maskin: {machine.describe(results['machine'])}")
    log(f"Arbetsmapp: {workdir}")
    started = time.perf_counter()

    def step(name: str, func) -> None:
        nonlocal failures
        log(f"\n== {name} ==")
        try:
            func()
        except Exception as exc:  # one failing benchmark must not hide the others
            failures += 1
            results.setdefault("errors", {})[name] = f"{exc.__class__.__name__}: {exc}"
            traceback.print_exc()
        report.save(results)

    try:
        step("corpus self-check", lambda: corpus.self_check(workdir / "self-check"))
        if "build" in only:
            def do_builds() -> None:
                results["builds"] = builds.bench_builds(workdir, plan["builds"], log)
                tables["build"] = builds.print_builds(results["builds"])
                log(tables["build"])
            step("a. build", do_builds)
        if "transfer" in only and "build" not in only:  # (the build benchmark reports it)
            def do_transfer() -> None:
                from . import transfer

                sizes = []
                for size, _ in plan["builds"]:
                    _, site = built_site(workdir, size)
                    measured = transfer.measure(site)
                    measured["precompress"] = transfer.precompression_seconds(
                        site, workdir / "precompress-scratch")
                    sizes.append((size, measured))
                results["transfer"] = dict(sizes)
                tables["transfer"] = transfer.print_transfer(sizes)
                log(tables["transfer"])
            step("a'. transfer", do_transfer)
        if "check" in only:
            def do_check() -> None:
                root = workdir / f"corpus-{plan['check_size']}"
                if not root.exists():
                    corpus.make_corpus(root, plan["check_size"])
                results["check"] = check.bench_check(root, plan["check_size"],
                                                     plan["check_repeat"])
                tables["check"] = check.print_check(results["check"])
                log(tables["check"])
            step("b. check", do_check)
        if {"ack", "dashboard", "notify", "evidence"} & set(only):
            with ExitStack() as stack:
                pg = _postgres(stack, results)
                if "ack" in only:
                    step("c. acknowledgements", lambda: _acks(workdir, plan, pg, results,
                                                              tables))
                if "dashboard" in only:
                    step("d. dashboard", lambda: _dashboard(workdir, plan, pg, results,
                                                            tables))
                if "notify" in only:
                    step("e. notify", lambda: _notify(workdir, plan, pg, results, tables))
                if "evidence" in only:
                    step("f. evidence", lambda: _evidence(workdir, plan, pg, results, tables))
    finally:
        results["total_minutes"] = round((time.perf_counter() - started) / 60, 1)
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        path = report.save(results)
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    log("\n" + "=" * 78 + f"\nSammanfattning – {machine.describe(results['machine'])}")
    for name in BENCHMARKS:
        if name in tables:
            log(tables[name])
    for name, error in results.get("errors", {}).items():
        log(f"\nFEL i {name}: {error}")
    log(f"\nResultat: {path}")
    return 1 if failures else 0


def _postgres(stack: ExitStack, results: dict):
    from rutinportal.testing import postgres

    try:
        # Every commit flushed to disk, as in production (the tests' server skips that).
        return stack.enter_context(postgres.server(durable=True))
    except postgres.Unavailable as exc:
        results.setdefault("errors", {})["postgresql"] = str(exc)
        log(f"PostgreSQL hoppas över: {exc}")
        return None


def _databases(workdir: Path, pg, name: str) -> list[tuple[str, str]]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{workdir / name}.sqlite3{suffix}").unlink(missing_ok=True)
    databases = [("sqlite", sqlite_url(workdir / f"{name}.sqlite3"))]
    if pg is not None:
        databases.append(("postgresql", pg.create_database(name)))
    return databases


def _acks(workdir: Path, plan: dict, pg, results: dict, tables: dict) -> None:
    from . import acks

    root, site = built_site(workdir, plan["portal_size"])
    results["acks"] = []
    runs = [(label, url, 1) for label, url in _databases(workdir, pg, "acks")]
    if pg is not None and plan["ack_pg_workers"] > 1:
        # Several processes over one PostgreSQL, each with its own writer (scale-out).
        runs.append(("postgresql", pg.create_database("acks_workers"), plan["ack_pg_workers"]))
    for label, url, workers in runs:
        results["acks"].append(acks.bench_database(
            label, url, root, site, workdir, people=plan["ack_people"],
            requests=plan["ack_requests"], seconds=plan["ack_seconds"],
            clients=plan["clients"], repeat=plan["ack_repeat"], workers=workers, log=log))
        report.save(results)
    tables["ack"] = acks.print_acks(results["acks"])
    log(tables["ack"])


def _dashboard(workdir: Path, plan: dict, pg, results: dict, tables: dict) -> None:
    from . import dashboard, dbfill

    if not dashboard.route_exists():
        raise RuntimeError(f"the portal has no {dashboard.PATH} route yet")
    corpus_root, site = built_site(workdir, plan["dashboard_size"], dashboard.RENEW_EVERY)
    waiting = dashboard.widest_routine(dbfill.published_documents(site))
    root = dashboard.waiting_repository(corpus_root, workdir / "dashboard-repository",
                                        waiting.id)
    results["dashboard"] = []
    for label, url in _databases(workdir, pg, "dashboard"):
        results["dashboard"].append(dashboard.bench_database(
            label, url, root, site, workdir, people=plan["dashboard_people"],
            repeat=plan["dashboard_repeat"], log=log))
        report.save(results)
    tables["dashboard"] = dashboard.print_dashboard(results["dashboard"])
    log(tables["dashboard"])


def _notify(workdir: Path, plan: dict, pg, results: dict, tables: dict) -> None:
    from . import notify

    root, site = built_site(workdir, plan["dashboard_size"])
    results["notify"] = []
    for label, url in _databases(workdir, pg, "notify"):
        results["notify"].append(notify.bench_database(
            label, url, root, site, workdir, people=plan["notify_people"], log=log))
        report.save(results)
    tables["notify"] = notify.print_notify(results["notify"])
    log(tables["notify"])


def _evidence(workdir: Path, plan: dict, pg, results: dict, tables: dict) -> None:
    from . import evidence

    root, site = built_site(workdir, plan["dashboard_size"])
    results["evidence"] = []
    for label, url in _databases(workdir, pg, "evidence"):
        results["evidence"].append(evidence.bench_database(
            label, url, root, site, workdir, people=plan["evidence_people"], log=log))
        report.save(results)
    tables["evidence"] = evidence.print_evidence(results["evidence"])
    log(tables["evidence"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=BENCHMARKS,
                        help="run only this benchmark (may be repeated)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--workdir", help="work folder (kept); default a temporary one")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
