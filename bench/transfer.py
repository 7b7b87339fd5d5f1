"""What a phone on a weak connection fetches: the transfer size (gzip) of a routine page.

Read from the built site, not a browser: the page's HTML and everything it loads at once —
stylesheets, scripts and the icon it links, and the theme's search worker with the search
index it fetches as the page opens. The first visit fetches all of it; a later page fetches
only its HTML when the assets are cached (the theme's file names carry their hash). Sizes are
gzip at level 6, what a web server compresses with.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from pathlib import Path

from rutinportal.site import engine, own_assets

from . import report

LEVEL = 6
_LOADED = re.compile(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"|<script src="([^"]+)"')
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=LEVEL))


def _resources(site: Path, page: str) -> list[str]:
    """The site files the page at `page` (e.g. rutiner/x/index.html) loads as it opens."""
    html = (site / page).read_text(encoding="utf-8")
    found = [a or b for a, b in _LOADED.findall(html)]
    config = _CONFIG.search(html)
    if config and json.loads(config.group(1)).get("search"):
        found.append(json.loads(config.group(1))["search"])
        found.append(posixpath.relpath("search/search_index.json", posixpath.dirname(page)))
    base = posixpath.dirname(page)
    return [posixpath.normpath(posixpath.join(base, url)) for url in found]


def _routine_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "rutiner").glob("*/index.html")
                  if "." not in p.parent.name)


def measure(site: Path) -> dict:
    pages = _routine_pages(site)
    first, later = pages[0], pages[len(pages) // 2]
    files = {name: gzip_size((site / name).read_bytes()) for name in _resources(site, first)}
    html_first = gzip_size((site / first).read_bytes())
    own = sum(gzip_size(own_assets.served(n)) for n in own_assets.NAMES)
    return {
        "page": first, "later_page": later,
        "first_visit_bytes": html_first + sum(files.values()),
        "first_visit_requests": 1 + len(files),
        "later_page_bytes": gzip_size((site / later).read_bytes()),
        "search_index_bytes": files.get("search/search_index.json", 0),
        "resources": files,
        "own_css_js_bytes": own, "own_budget_bytes": own_assets.BUDGET_GZIP,
        "own_files": [f"{engine.ASSET_DIR}/{n}" for n in own_assets.NAMES],
    }


def print_transfer(sizes: list[tuple[int, dict]]) -> str:
    rows = [[n, f"{t['first_visit_bytes'] / 1024:.0f} KB", t["first_visit_requests"],
             f"{t['search_index_bytes'] / 1024:.0f} KB", f"{t['later_page_bytes'] / 1024:.1f} KB",
             f"{t['own_css_js_bytes'] / 1024:.1f} KB"] for n, t in sizes]
    return report.table(
        "Överfört till en telefon (gzip): en rutinsida vid första besöket och en sida till",
        ["rutiner", "första besöket", "anrop", "varav sökindex", "nästa sida",
         "vår CSS+JS (≤ 8 KB)"], rows)
