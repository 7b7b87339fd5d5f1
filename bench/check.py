"""`rutinportal check` on a large repository: wall time of the command as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from . import report

TARGET_SECONDS = 3.0


def rutinportal_command() -> list[str]:
    script = Path(sys.executable).parent / "rutinportal"
    # rutinportal.cli is a package without __main__: call its entry point as the script does.
    return [str(script)] if script.exists() else \
        [sys.executable, "-c", "import sys; from rutinportal.cli import main; sys.exit(main())"]


def run_check(root: Path) -> float:
    env = {**os.environ, "RUTINPORTAL_ROOT": str(root)}
    start = time.perf_counter()
    done = subprocess.run([*rutinportal_command(), "check"], env=env, cwd=root,
                          capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise AssertionError(f"rutinportal check failed ({done.returncode}):\n"
                             f"{done.stdout}{done.stderr}"[-3000:])
    return seconds


def bench_check(root: Path, documents: int, repeat: int = 3) -> dict:
    run_check(root)  # warm the file cache; not counted
    times = [run_check(root) for _ in range(repeat)]
    return {"documents": documents, "runs": times, "median_s": report.median(times),
            "target_s": TARGET_SECONDS, "met": report.median(times) < TARGET_SECONDS}


def print_check(result: dict) -> str:
    return report.table(
        "b. rutinportal check (median av {n} körningar, hela kommandot)".format(
            n=len(result["runs"])),
        ["dokument", "median s", "körningar s", "mål", "uppfyllt"],
        [[result["documents"], result["median_s"],
          " / ".join(f"{t:.2f}" for t in result["runs"]), f"< {result['target_s']:g} s",
          "ja" if result["met"] else "nej"]])
