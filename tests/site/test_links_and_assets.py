"""Our HTML links with relative URLs that the engine does not check: every one must lead to a
built page (and anchor). And the portal's own CSS and JS stay light for a phone."""

from __future__ import annotations

import gzip
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from rutinportal.site import engine, own_assets

pytestmark = pytest.mark.build

LINK = re.compile(r'<(?:a|link|script|img)\b[^>]*?\s(?:href|src)="([^"]*)"')
ID = re.compile(r'\sid="([^"]*)"')


def broken_links(site: Path) -> list[str]:
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
             for p in site.rglob("*.html")}
    ids = {name: set(ID.findall(text)) for name, text in pages.items()}
    broken = []
    for name, text in pages.items():
        for url in LINK.findall(text):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("/", "mailto:", "tel:")):
                continue  # absolute: the portal's routes, or outside the site
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name),
                                                       unquote(parts.path))) if parts.path \
                else name
            if parts.path and (site / target).is_dir():
                target = posixpath.join(target, "index.html")
            if not (site / target).is_file():
                broken.append(f"{name}: {url}")
            elif parts.fragment and target.endswith(".html") \
                    and unquote(parts.fragment) not in ids.get(target, ()):
                broken.append(f"{name}: {url} (no such anchor)")
    return broken


def test_every_relative_link_leads_somewhere(built_example) -> None:
    assert broken_links(built_example.site) == []
    assert broken_links(built_example.preview) == []


def test_the_portal_css_and_js_stay_within_8_kb_gzipped(built_example) -> None:
    total = 0
    for name in own_assets.NAMES:
        built = (built_example.site / engine.ASSET_DIR / own_assets.file_name(name)).read_bytes()
        assert built == own_assets.served(name)
        assert len(built) < len(own_assets.source(name).encode("utf-8")) * 0.8, name  # minified
        total += len(gzip.compress(built, compresslevel=9))
    assert total <= own_assets.BUDGET_GZIP == 8 * 1024, total
