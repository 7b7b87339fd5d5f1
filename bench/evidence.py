"""`rutinportal evidence export`, `evidence verify` and `report` for 3,000 people × 200
routines (the issue's size), each as its own process, as the coordinator runs them.

The database is filled directly (3,000 people, ~93 % of 200 routines acknowledged: some
560,000 acknowledgements, every one of them in the bundle's kvittenser.csv); the site is a
built corpus of 200 approved routines. Timed: each whole command, wall clock from start to
exit (interpreter start and imports included); peak memory is the process's own maximum
resident size (`os.wait4`), which shows that the registers stream rather than sit in memory.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from rutinportal.portal.storage.db import make_engine

from . import dbfill, report
from .acks import units_of

TARGET_S = 30.0


def _command(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _run(args: list[str], env: dict[str, str], log_path: Path) -> dict:
    """One command: seconds, peak MB, and its output."""
    with log_path.open("ab") as log:
        log.write(f"$ {' '.join(args)}\n".encode())
        log.flush()
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=log)
        output = process.stdout.read() if process.stdout else b""
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        log.write(output)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise AssertionError(f"{args[1:3]} exited {code}: see {log_path}")
    return {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1),
            "output": output.decode("utf-8", errors="replace")}


def bench_database(label: str, url: str, root: Path, site: Path, workdir: Path, *,
                   people: int = 3000, log=print) -> dict:
    engine = make_engine(url)
    roster = dbfill.fill_people(engine, people, units_of(root))
    routines = dbfill.published_documents(site)
    rows = dbfill.fill_acknowledgements(engine, roster, routines)
    if engine.dialect.name == "postgresql":
        dbfill.analyze(engine)
    engine.dispose()
    log(f"  {label:10}: {people:,} people, {len(routines)} routines, {rows:,} acknowledgements")
    env = {**os.environ, "RUTINPORTAL_ROOT": str(root),
           "RUTINPORTAL_EVIDENCE_KEY": str(workdir / "evidence-signing-key.pem")}
    common = ["--database", url, "--site-dir", str(site)]
    out = workdir / f"bevis-{label}.zip"
    log_path = workdir / f"evidence-{label}.log"
    rutinportal = _command("rutinportal")
    exported = _run([rutinportal, "evidence", "export", "--out", str(out), *common], env,
                    log_path)
    verified = _run([rutinportal, "evidence", "verify", str(out)], env, log_path)
    folder = workdir / f"rapport-{label}"
    reported = _run([rutinportal, "report", "--year", str(dt.date.today().year), "--out",
                     str(folder), *common], env, log_path)
    if f"{rows} kvittenser" not in exported["output"]:
        raise AssertionError(f"the bundle does not hold the {rows} acknowledgements: "
                             f"{exported['output']}")
    result = {"database": label, "people": people, "routines": len(routines),
              "acknowledgements": rows, "export_s": exported["seconds"],
              "export_mb": exported["peak_mb"], "zip_mb": round(out.stat().st_size / 2**20, 1),
              "verify_s": verified["seconds"], "verify_mb": verified["peak_mb"],
              "report_s": reported["seconds"], "report_mb": reported["peak_mb"],
              "target_s": TARGET_S}
    result["met"] = result["export_s"] < TARGET_S
    log(f"  {label:10}: export {result['export_s']:.1f} s ({result['export_mb']:.0f} MB, "
        f"ZIP {result['zip_mb']} MB), verify {result['verify_s']:.1f} s, report "
        f"{result['report_s']:.1f} s")
    return result


def print_evidence(results: list[dict]) -> str:
    rows = [[r["database"], r["people"], r["routines"], r["acknowledgements"], r["export_s"],
             r["export_mb"], r["zip_mb"], r["verify_s"], r["report_s"],
             "ja" if r["met"] else "nej"] for r in results]
    return report.table(
        "f. rutinportal evidence export / verify / report (hela kommandot, egen process)",
        ["databas", "personer", "rutiner", "kvittenser", "export s", "export MB", "ZIP MB",
         "verify s", "report s", f"export < {TARGET_S:g} s"], rows)
