"""Every name is text: front-matter values and names from organisation.yml, courses.yml and
quizzes are escaped in every generated page, the tag page, the register, reading lists, the
news page and the search index, and show exactly as written (`<`, `"`, `&`, `\\`)."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from rutinportal.content.catalogue import validate
from rutinportal.site.build import build_site
from rutinportal.site.context import SiteContext
from rutinportal.site.pages import generate

from . import payload
from .test_build import site_text

NAMES = [payload.TITLE, payload.TAG, payload.UNIT, payload.COURSE, payload.QUIZ,
         payload.OWNER, payload.DECISION]


@pytest.fixture
def payload_repo(example_repo: Path) -> Path:
    return payload.make_payload_repo(example_repo)


class Texts(HTMLParser):
    """The text of chosen elements (h1, title, a, span.md-tag …) as a browser shows it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.found: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag not in ("img", "br", "meta", "link", "input"):
            self.stack.append(tag)
            self.found.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        for tag in set(self.stack):
            self.found[tag][-1] += data


def shown(html: str, tag: str) -> list[str]:
    parser = Texts()
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.found.get(tag, [])]


def test_generated_pages_escape_every_name(payload_repo: Path) -> None:
    pages = generate(SiteContext(validate(payload_repo), dt.date(2026, 11, 30)))
    seen = set()
    for uri, page in pages.items():
        html = page.source() + str(page.top) + str(page.bottom)
        for raw in payload.RAW:
            assert raw not in html, (uri, raw)
        seen |= {name for name in NAMES if str(escape(name)) in html}
        meta = yaml.safe_load(page.source().split("---\n")[1])
        assert meta["title"] == str(escape(page.title)), uri
    assert seen == set(NAMES)
    routine = pages[f"rutiner/{payload.SLUG}.md"]
    assert routine.title == payload.TITLE
    assert str(routine.top).startswith(f"<h1>{escape(payload.TITLE)}</h1>")
    assert yaml.safe_load(routine.source().split("---\n")[1])["tags"] == [
        str(escape(payload.TAG)), "SITHS"]


def test_the_built_site_shows_every_name_as_written(payload_repo: Path) -> None:
    site = build_site(payload_repo, payload_repo / "out")
    texts = site_text(site)
    for name, text in texts.items():
        if name == "catalog.json":
            continue  # data for the portal, which escapes what it shows
        for raw in payload.RAW:
            assert raw not in text, (name, raw)
    page = texts[f"rutiner/{payload.SLUG}/index.html"]
    assert shown(page, "h1") == [payload.TITLE]
    assert shown(page, "title") == [f"{payload.TITLE} - Rutinportalen"]
    assert payload.TAG in shown(page, "nav")[-1]
    assert payload.OWNER in shown(page, "dd") and f"{payload.DECISION}" in shown(page, "dd")
    assert any(payload.UNIT in text for text in shown(page, "dd"))
    register = texts["rutiner/index.html"]
    assert payload.TITLE in shown(register, "a")
    assert any(payload.UNIT in cell for cell in shown(register, "td"))
    reading_list = texts["laslistor/hemtjanst/index.html"]
    assert shown(reading_list, "h1") == [f"Läslista: {payload.UNIT}"]
    assert payload.TITLE in shown(reading_list, "a")
    assert f"Läslista: {payload.UNIT} - Rutinportalen" in shown(reading_list, "title")
    tags = texts["taggar/index.html"]
    assert payload.TITLE in shown(tags, "a") and any(payload.TAG in h for h in shown(tags, "h2"))
    assert payload.TITLE in shown(texts["nytt/index.html"], "a")
    assert shown(texts["utbildning/grund/index.html"], "h1") == [payload.COURSE]
    assert shown(texts["quiz/payload/index.html"], "h1") == [payload.QUIZ]
    # The theme's search draws a hit's title and text as HTML: the index holds them escaped.
    index = json.loads(texts["search/search_index.json"])
    hits = [d for d in index["docs"] if d["location"].startswith(f"rutiner/{payload.SLUG}/")]
    assert hits and hits[0]["title"] == str(escape(payload.TITLE))
    assert str(escape(payload.TAG)) in hits[0]["tags"]
