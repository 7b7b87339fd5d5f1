"""Build time: our build against the floor, plain mkdocs-material on the same Markdown.

Per size: a synthetic repository (`corpus`); the floor gets our generated pages as plain
Markdown files and the same config without our hooks (`child.prepare_floor`). Every build
runs in its own subprocess (imports and memory isolated), ours and the floor alternating so
that a noisy neighbour hits both alike; the median of the repetitions counts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import corpus, report

REPO = Path(__file__).resolve().parent.parent
FLOOR_CONFIG = "mkdocs.yml"  # as bench.child writes it
TARGET_RATIO = 1.2


def child(*args: str | Path, timeout: int = 1800) -> dict:
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-m", "bench.child", *map(str, args)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"bench.child {' '.join(map(str, args))} failed:\n"
                           f"{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(workdir: Path, size: int) -> tuple[Path, Path]:
    """The corpus of `size` routines and its floor; reused when already there."""
    root, floor = workdir / f"corpus-{size}", workdir / f"floor-{size}"
    if not root.exists():
        corpus.make_corpus(root, size)
    if not (floor / FLOOR_CONFIG).exists():
        shutil.rmtree(floor, ignore_errors=True)
        floor.mkdir(parents=True)
        child("floor-prepare", root, floor)
    return root, floor


def one_size(workdir: Path, size: int, repeat: int, log=print) -> dict:
    root, floor = prepare(workdir, size)
    site_ours, site_floor = workdir / f"site-ours-{size}", floor / "site"
    runs: dict[str, list[dict]] = {"ours": [], "floor": []}
    for n in range(repeat):
        order = ("ours", "floor") if n % 2 == 0 else ("floor", "ours")
        for which in order:
            shutil.rmtree(site_ours if which == "ours" else site_floor, ignore_errors=True)
            if which == "ours":
                result = child("build", root, site_ours)
            else:
                result = child("floor", floor / FLOOR_CONFIG, site_floor)
            runs[which].append(result)
            log(f"  {size:>5} routines, {which:5}: {result['seconds']:7.2f} s, "
                f"{result['peak_mb']:6.0f} MB, {result['pages']} pages")
    summary = {"routines": size, "repeat": repeat}
    for which, results in runs.items():
        summary[which] = {
            "runs_s": [r["seconds"] for r in results],
            "median_s": report.median([r["seconds"] for r in results]),
            "peak_mb": report.median([r["peak_mb"] for r in results]),
            "pages": results[-1]["pages"],
        }
    summary["ratio"] = summary["ours"]["median_s"] / summary["floor"]["median_s"]
    return summary


def bench_builds(workdir: Path, plan: list[tuple[int, int]], log=print) -> dict:
    sizes = [one_size(workdir, size, repeat, log) for size, repeat in plan]
    result: dict = {"sizes": sizes, "target_ratio": TARGET_RATIO}
    by_size = {s["routines"]: s for s in sizes}
    if 1000 in by_size and 3000 in by_size:
        result["growth_1000_3000"] = {
            which: by_size[3000][which]["median_s"] / by_size[1000][which]["median_s"]
            for which in ("ours", "floor")}
    result["met_ratio"] = all(s["ratio"] <= TARGET_RATIO for s in sizes)
    return result


def print_builds(result: dict) -> str:
    rows = []
    for s in result["sizes"]:
        rows.append([s["routines"], s["ours"]["pages"], s["ours"]["median_s"],
                     s["floor"]["median_s"], f"{s['ratio']:.2f}×",
                     s["ours"]["peak_mb"], s["floor"]["peak_mb"], s["repeat"]])
    text = report.table(
        "a. Bygge: vårt bygge mot golvet (ren mkdocs-material, samma Markdown), median",
        ["rutiner", "sidor", "vårt s", "golv s", "kvot", "vårt MB", "golv MB", "körn."],
        rows)
    growth = result.get("growth_1000_3000")
    if growth:
        text += (f"\nTillväxt 1 000 → 3 000 rutiner (linjärt ≈ 3,0): vårt "
                 f"{growth['ours']:.2f}×, golvet {growth['floor']:.2f}×")
    text += f"\nMål: högst {result['target_ratio']}× golvet och linjär tillväxt."
    return text
