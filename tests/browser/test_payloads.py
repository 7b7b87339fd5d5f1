"""A site built from content whose names are script payloads, in Chromium: no dialog ever
opens and every name shows exactly as written (titles, tags, a unit, a course, a quiz, an
owner and a decision; see tests/site/payload.py)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from rutinportal.site.build import build_site

from ..conftest import CONTENT, FRAME, copy_items
from ..site import payload
from .conftest import TIMEOUT_MS, VIEWPORTS, _QuietHandler, search

pytestmark = pytest.mark.browser

PAGES = [f"/rutiner/{payload.SLUG}/", "/rutiner/", "/laslistor/hemtjanst/", "/laslistor/",
         "/taggar/", "/nytt/", "/utbildning/", "/utbildning/grund/", "/quiz/payload/",
         "/rutiner/siths-kort/"]


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("payload") / "repo"
    root.mkdir()
    copy_items(root, FRAME + CONTENT)
    payload.make_payload_repo(root)
    site = build_site(root, root / "site")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def payload_page(browser, payload_site: str):
    context = browser.new_context(base_url=payload_site, locale="sv-SE", **VIEWPORTS["desktop"])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, path
    page.wait_for_load_state("load")
    # Give any injected handler (onerror, onload) its chance to run.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")


def test_no_payload_runs_on_any_page(payload_page) -> None:
    for path in PAGES:
        visit(payload_page, path)
        payload_page.mouse.move(10, 10)
        for tag in payload_page.locator(".md-tag").all():
            tag.hover()
        assert payload_page.dialogs == [], path
        assert payload_page.evaluate("() => document.querySelectorAll("
                                     "'main img[src=x], main img[src=y], main svg[onload],"
                                     " main b[onmouseover]').length") == 0, path


def test_every_name_shows_as_written(payload_page) -> None:
    page = payload_page
    visit(page, f"/rutiner/{payload.SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(payload.TITLE)
    assert page.title() == f"{payload.TITLE} - Rutinportalen"
    expect(page.locator(".md-tags")).to_contain_text(payload.TAG)
    page.get_by_text("Ägare, beslut och översyn").click()
    expect(page.locator(".rp-meta__list")).to_contain_text(payload.OWNER)
    expect(page.locator(".rp-meta__list")).to_contain_text(payload.DECISION)
    expect(page.locator(".rp-meta__list")).to_contain_text(payload.UNIT)

    visit(page, "/rutiner/")
    expect(page.get_by_role("link", name=payload.TITLE, exact=True)).to_be_visible()
    visit(page, "/laslistor/hemtjanst/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Läslista: {payload.UNIT}")
    expect(page.get_by_role("link", name=payload.TITLE, exact=True)).to_be_visible()
    visit(page, "/taggar/")
    expect(page.get_by_role("heading", name=payload.TAG)).to_be_visible()
    expect(page.get_by_role("link", name=payload.TITLE, exact=True).first).to_be_visible()
    visit(page, "/utbildning/grund/")
    expect(page.get_by_role("heading", level=1)).to_have_text(payload.COURSE)
    visit(page, "/quiz/payload/")
    expect(page.get_by_role("heading", level=1)).to_have_text(payload.QUIZ)
    assert page.dialogs == []


def test_search_shows_the_title_as_written(payload_page) -> None:
    page = payload_page
    visit(page, "/")
    results = search(page, "Xylofonrutinen")  # a word of the payload routine's text
    expect(results.first).to_contain_text(payload.TITLE)
    assert page.dialogs == []
