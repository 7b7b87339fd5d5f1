"""Build time: our build against two floors, plain ProperDocs + mkdocs-material.

Per size: a synthetic repository (`corpus`) and two floors built by the engine alone, with
the project's own config less our hooks (`child`):
- the plain floor: each routine's approved file as a plain page (the same text, theme,
  extensions, search and tags; not in the nav) — what a coordinator waiting for a build
  compares with, and the floor the target is measured against;
- the generated floor: the sources our build hands the engine (`pages.generate`), as files.
Every build runs in its own subprocess (imports and memory isolated), the three in turn and
in a rotating order so that a noisy neighbour hits all alike; the median of the repetitions
counts. After the builds, the transfer sizes of the built site (`transfer`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import corpus, report, transfer

REPO = Path(__file__).resolve().parent.parent
FLOOR_CONFIG = "mkdocs.yml"  # as bench.child writes it
TARGET_RATIO = 1.5
BUILDS = ("ours", "plain", "generated")


def child(*args: str | Path, timeout: int = 1800) -> dict:
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-m", "bench.child", *map(str, args)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"bench.child {' '.join(map(str, args))} failed:\n"
                           f"{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(workdir: Path, size: int) -> tuple[Path, dict[str, Path]]:
    """The corpus of `size` routines and its two floors; reused when already there."""
    root = workdir / f"corpus-{size}"
    if not root.exists():
        corpus.make_corpus(root, size)
    floors = {"plain": workdir / f"plain-{size}", "generated": workdir / f"generated-{size}"}
    for which, floor in floors.items():
        if not (floor / FLOOR_CONFIG).exists():
            shutil.rmtree(floor, ignore_errors=True)
            floor.mkdir(parents=True)
            child("plain-prepare" if which == "plain" else "floor-prepare", root, floor)
    return root, floors


def one_size(workdir: Path, size: int, repeat: int, log=print) -> dict:
    root, floors = prepare(workdir, size)
    sites = {"ours": workdir / f"site-ours-{size}",
             **{which: floor / "site" for which, floor in floors.items()}}
    runs: dict[str, list[dict]] = {which: [] for which in BUILDS}
    for n in range(repeat):
        for which in BUILDS[n % 3:] + BUILDS[:n % 3]:
            shutil.rmtree(sites[which], ignore_errors=True)
            if which == "ours":
                result = child("build", root, sites[which])
            else:
                result = child("floor", floors[which] / FLOOR_CONFIG, sites[which])
            runs[which].append(result)
            log(f"  {size:>5} routines, {which:9}: {result['seconds']:7.2f} s, "
                f"{result['peak_mb']:6.0f} MB, {result['pages']} pages")
    summary: dict = {"routines": size, "repeat": repeat}
    for which, results in runs.items():
        seconds = [r["seconds"] for r in results]
        summary[which] = {"runs_s": seconds, "median_s": report.median(seconds),
                          "min_s": min(seconds), "max_s": max(seconds),
                          "peak_mb": report.median([r["peak_mb"] for r in results]),
                          "pages": results[-1]["pages"]}
    summary["ratio"] = summary["ours"]["median_s"] / summary["plain"]["median_s"]
    summary["ratio_generated"] = summary["ours"]["median_s"] / summary["generated"]["median_s"]
    summary["transfer"] = transfer.measure(sites["ours"])
    summary["transfer"]["precompress"] = transfer.precompression_seconds(
        sites["ours"], workdir / "precompress-scratch")
    return summary


def bench_builds(workdir: Path, plan: list[tuple[int, int]], log=print) -> dict:
    sizes = [one_size(workdir, size, repeat, log) for size, repeat in plan]
    result: dict = {"sizes": sizes, "target_ratio": TARGET_RATIO}
    by_size = {s["routines"]: s for s in sizes}
    if 1000 in by_size and 3000 in by_size:
        result["growth_1000_3000"] = {
            which: by_size[3000][which]["median_s"] / by_size[1000][which]["median_s"]
            for which in BUILDS}
    result["met_ratio"] = all(s["ratio"] <= TARGET_RATIO for s in sizes if s["routines"] >= 1000)
    return result


def print_builds(result: dict) -> str:
    rows = []
    for s in result["sizes"]:
        rows.append([s["routines"], s["ours"]["pages"], s["ours"]["median_s"],
                     f"{s['ours']['min_s']:.1f}–{s['ours']['max_s']:.1f}",
                     s["plain"]["median_s"], s["generated"]["median_s"], f"{s['ratio']:.2f}×",
                     f"{s['ratio_generated']:.2f}×", s["ours"]["peak_mb"], s["repeat"]])
    text = report.table(
        "a. Bygge: vårt bygge mot golven (ProperDocs + Material utan våra hooks), median",
        ["rutiner", "sidor", "vårt s", "spridning", "rena sidor s", "genererade s",
         "kvot rena", "kvot gen.", "vårt MB", "körn."], rows)
    growth = result.get("growth_1000_3000")
    if growth:
        text += (f"\nTillväxt 1 000 → 3 000 rutiner (linjärt ≈ 3,0): vårt "
                 f"{growth['ours']:.2f}×, rena sidor {growth['plain']:.2f}×, genererade "
                 f"{growth['generated']:.2f}×")
    text += (f"\nMål: högst {result['target_ratio']}× golvet med rena rutinsidor vid 1 000 "
             "rutiner, och linjär tillväxt.")
    text += "\n" + transfer.print_transfer([(s["routines"], s["transfer"])
                                            for s in result["sizes"]])
    return text
