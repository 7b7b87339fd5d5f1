"""What a phone on a weak connection fetches for a routine page, as the portal sends it.

Read from the built site, not a browser (the browser test `tests/browser/test_transfer.py`
guards the same budget on the example site, with Chromium counting the bytes): the page's HTML
and everything it loads at once — stylesheets, scripts, the icon, and the theme's search
worker. The search index is not part of a page view: it is fetched when the search is first
used, and reported on its own. Sizes are the compressed copies the build wrote beside each
file (`site.precompress`): Brotli, which Chromium takes, and gzip. The first visit fetches all
of it; a later page only its HTML (every asset is kept: the hashed ones a year, the theme's
icon a day; `portal.web.delivery`). HTTP headers (some 300 bytes an answer) are not counted
here; the browser test counts them.
"""

from __future__ import annotations

import json
import posixpath
import re
import time
from pathlib import Path

from rutinportal.site import engine, own_assets
from rutinportal.site.precompress import compress, precompress

from . import report

FIRST_VISIT_BUDGET = 200 * 1024
LATER_PAGE_BUDGET = 30 * 1024
_LOADED = re.compile(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"|<script src="([^"]+)"')
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
INDEX = "search/search_index.json"


def served_size(site: Path, name: str, encoding: str) -> int:
    """The bytes of the copy the portal sends for `name` in `encoding` ("br" or "gzip")."""
    path = site / name
    copy = path.with_name(path.name + (".br" if encoding == "br" else ".gz"))
    if copy.is_file():
        return copy.stat().st_size
    return path.stat().st_size  # too small to be worth a copy: sent as it is


def _resources(site: Path, page: str) -> list[str]:
    """The site files the page at `page` (e.g. rutiner/x/index.html) loads as it opens."""
    html = (site / page).read_text(encoding="utf-8")
    found = [a or b for a, b in _LOADED.findall(html)]
    config = _CONFIG.search(html)
    if config and json.loads(config.group(1)).get("search"):
        found.append(json.loads(config.group(1))["search"])  # the worker, not the index
    base = posixpath.dirname(page)
    return [posixpath.normpath(posixpath.join(base, url)) for url in found]


def _routine_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "rutiner").glob("*/index.html")
                  if "." not in p.parent.name)


def measure(site: Path) -> dict:
    site = site.resolve()
    pages = _routine_pages(site)
    first, later = pages[0], pages[len(pages) // 2]
    result: dict = {"page": first, "later_page": later}
    for encoding in ("br", "gzip"):
        files = {name: served_size(site, name, encoding) for name in _resources(site, first)}
        result[encoding] = {
            "first_visit_bytes": served_size(site, first, encoding) + sum(files.values()),
            "later_page_bytes": served_size(site, later, encoding),
            "search_index_bytes": served_size(site, INDEX, encoding),
            "resources": files,
        }
        result["first_visit_requests"] = 1 + len(files)
    result["own_css_js_bytes"] = sum(len(compress(own_assets.served(n), "gzip"))
                                     for n in own_assets.NAMES)
    result["own_budget_bytes"] = own_assets.BUDGET_GZIP
    result["own_files"] = [f"{engine.ASSET_DIR}/{own_assets.file_name(n)}"
                           for n in own_assets.NAMES]
    result["met"] = (result["br"]["first_visit_bytes"] <= FIRST_VISIT_BUDGET
                     and result["gzip"]["first_visit_bytes"] <= FIRST_VISIT_BUDGET
                     and result["gzip"]["later_page_bytes"] <= LATER_PAGE_BUDGET)
    return result


def precompression_seconds(site: Path, scratch: Path) -> dict:
    """What writing the compressed copies costs a build: into an empty folder (a first
    build), and beside the build before (a rebuild: unchanged files reuse their copies)."""
    import shutil

    site = site.resolve()
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    start = time.perf_counter()
    compressed = precompress(scratch)
    fresh = time.perf_counter() - start
    for path in list(scratch.rglob("*.br")) + list(scratch.rglob("*.gz")):
        path.unlink()
    start = time.perf_counter()
    precompress(scratch, site)
    reused = time.perf_counter() - start
    megabytes = sum(p.stat().st_size for p in scratch.rglob("*")
                    if p.is_file() and p.suffix not in (".gz", ".br")) / 1e6
    shutil.rmtree(scratch, ignore_errors=True)
    return {"files": compressed, "megabytes": round(megabytes, 1),
            "first_build_s": round(fresh, 2), "rebuild_s": round(reused, 2)}


def print_transfer(sizes: list[tuple[int, dict]]) -> str:
    def kb(value: int) -> str:
        return f"{value / 1024:.0f} KB"

    rows = [[n, f"{kb(t['br']['first_visit_bytes'])} ({kb(t['gzip']['first_visit_bytes'])})",
             t["first_visit_requests"],
             f"{t['br']['later_page_bytes'] / 1024:.1f} KB",
             f"{kb(t['br']['search_index_bytes'])} ({kb(t['gzip']['search_index_bytes'])})",
             f"{t['own_css_js_bytes'] / 1024:.1f} KB",
             (f"{t['precompress']['first_build_s']:.1f} s / {t['precompress']['rebuild_s']:.1f} s"
              if "precompress" in t else "–")] for n, t in sizes]
    return report.table(
        "Överfört till en telefon, som portalen skickar det: Brotli (gzip). "
        f"Budget: första besöket ≤ {FIRST_VISIT_BUDGET // 1024} KB, nästa sida "
        f"≤ {LATER_PAGE_BUDGET // 1024} KB",
        ["rutiner", "första besöket", "anrop", "nästa sida", "sökindex (vid första sökning)",
         "vår CSS+JS gzip (≤ 8 KB)", "komprimering: första bygget / ombygge"], rows)
