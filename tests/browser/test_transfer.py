"""A phone on a weak connection (issue 16): what a routine page puts on the wire.

The budget: the first visit to a routine page at most 200 KB on the wire, a later page at most
30 KB and no request for an asset the browser has. Bytes are what Chromium received (headers
and the body as it travelled, compressed), seen through the DevTools protocol; requests are
what reached the portal, from its access log — so a file that the browser took from its cache
is not counted, and one that it asked about again is. The search index is not part of a page
view: it travels when the search is first used (and search still works then).
"""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from rutinportal.testing.server import PortalProcess

from ..conftest import REPO, Example
from ..portal.support import import_demo_roster
from .conftest import WORKER_ID, search

pytestmark = pytest.mark.browser

FIRST_VISIT_BUDGET = 200 * 1024
LATER_PAGE_BUDGET = 30 * 1024
FIRST, SECOND, THIRD = "/rutiner/siths-kort/", "/rutiner/losenord-och-mfa/", "/rutiner/natfiske/"
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(params=["phone"])
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def logged_portal(example: Example, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[PortalProcess]:
    """A portal (as `make serve` runs it) whose log lists every request that reaches it."""
    folder = tmp_path_factory.mktemp("transfer")
    database = f"sqlite:///{(folder / 'portal.sqlite3').as_posix()}"
    import_demo_roster(example.root, database, REPO / "demo" / "personal.csv")
    # As production runs it: signed in by the intranet's SSO proxy (the test's browser sends
    # the proxy's header), so pages are the site's own, not personalised like the demo's.
    server = PortalProcess(example.root, example.site, database, folder / "portal.log",
                           auth="header", secret_key="browser-tests")
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Wire:
    """The page's network as Chromium saw it (DevTools protocol) and as the portal logged it."""

    def __init__(self, page, server: PortalProcess):
        self.page, self.server = page, server
        self.seen: dict[str, dict] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", lambda e: self._note(e, url=e["request"]["url"]))
        cdp.on("Network.requestServedFromCache", lambda e: self._note(e, cached=True))
        cdp.on("Network.responseReceived", lambda e: self._note(
            e, status=e["response"]["status"], head=e["response"].get("encodedDataLength", 0),
            headers={k.lower(): v for k, v in e["response"]["headers"].items()}))
        cdp.on("Network.loadingFinished", lambda e: self._note(e, bytes=e["encodedDataLength"]))
        cdp.on("Network.loadingFailed", lambda e: self._note(e, bytes=0, failed=True))

    def _note(self, event: dict, **facts) -> None:
        self.seen.setdefault(event["requestId"], {}).update(facts)

    def view(self, path: str) -> tuple[int, list[str], dict[str, dict]]:
        """Open `path` and wait until all it loads has come: (bytes, requests the portal got,
        what the page saw by URL)."""
        self.seen.clear()
        logged = self._settled_log()
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        # The theme starts its search worker as the page starts; once it runs, its script
        # has come (from the portal or from the cache).
        worker = self.page.workers[0] if self.page.workers else \
            self.page.wait_for_event("worker")
        worker.evaluate("self.location.href")
        deadline = time.monotonic() + 15
        while any("bytes" not in r and "status" not in r for r in self._page_requests()) \
                and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)  # polling for completion, not timing anything
        requests = reached(self.server.log.read_text(errors="replace")[len(logged):])
        by_url = {r["url"]: r for r in self._page_requests()}
        unanswered = [u for u, r in by_url.items() if "bytes" not in r and "status" not in r]
        assert unanswered == [], unanswered
        total = sum(self._bytes(r) for r in by_url.values() if not r.get("cached"))
        # The worker's script is fetched for the worker, out of the page's sight: counted as
        # the portal sends it when the portal got the request.
        worker_path = urlsplit(worker.url).path
        if worker_path in requests:
            total += self._wire_size(worker_path)
        return total, requests, by_url

    def _settled_log(self) -> str:
        """The log once the previous view's last lines are in: the portal writes a request's
        line when its answer has gone, which can be after the page saw the answer."""
        text, deadline = self.server.log.read_text(errors="replace"), time.monotonic() + 10
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(250)  # waiting for quiet, not timing anything
            again = self.server.log.read_text(errors="replace")
            if again == text:
                break
            text = again
        return text

    @staticmethod
    def _bytes(seen: dict) -> int:
        """All that came for one request; an answer whose body the page never read (e.g. a
        401 from /api/me) has no end event: its headers and its Content-Length then."""
        if "bytes" in seen:
            return seen["bytes"]
        return seen.get("head", 0) + int(seen["headers"].get("content-length", 0))

    def _page_requests(self) -> list[dict]:
        return [r for r in self.seen.values()
                if r.get("url", "").startswith(self.server.base) and "/workers/" not in r["url"]]

    def _wire_size(self, path: str) -> int:
        connection = http.client.HTTPConnection(urlsplit(self.server.base).netloc, timeout=30)
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br"})
            answer = connection.getresponse()
            body = answer.read()
            head = sum(len(k) + len(v) + 4 for k, v in answer.getheaders())
            return len(body) + head + len("HTTP/1.1 200 OK\r\n\r\n")
        finally:
            connection.close()


def reached(log: str) -> list[str]:
    """The paths of the GET and HEAD requests in the portal's access log (one JSON object per
    line, written to standard output, which the launcher keeps in its log file)."""
    lines = (json.loads(line) for line in log.splitlines() if line.startswith('{"time"'))
    return [entry["path"] for entry in lines if entry.get("method") in ("GET", "HEAD")]


def assets(requests: list[str]) -> list[str]:
    return [r for r in requests if r.startswith("/assets/")]


def test_a_routine_page_stays_within_the_budget(new_page, logged_portal) -> None:
    page = new_page(logged_portal.base)
    page.context.set_extra_http_headers({"X-Remote-User": WORKER_ID})  # signed in by the SSO
    wire = Wire(page, logged_portal)
    first_bytes, first_requests, first_seen = wire.view(FIRST)
    assert first_bytes <= FIRST_VISIT_BUDGET, first_bytes
    assert not any("search_index" in r for r in first_requests), first_requests
    # Text travels compressed; what carries its hash is kept a year, the page is revalidated.
    for url, seen in first_seen.items():
        path = urlsplit(url).path
        if re.search(r"\.(css|js)$", path) or path == FIRST:
            assert seen["headers"].get("content-encoding") in ("br", "gzip"), url
        if re.search(r"\.[0-9a-f]{8}(\.min)?\.(css|js)$", path):
            assert seen["headers"]["cache-control"] == IMMUTABLE, url
    assert first_seen[logged_portal.base + FIRST]["headers"]["cache-control"] == "no-cache"
    assert len(assets(first_requests)) >= 5, first_requests  # CSS, JS, the worker

    second_bytes, second_requests, _ = wire.view(SECOND)
    assert second_bytes <= LATER_PAGE_BUDGET, second_bytes
    assert set(assets(second_requests)).isdisjoint(assets(first_requests)), second_requests
    # By the third page the theme's icon is kept too, and what /api/me said a page before:
    # one request, the page itself.
    _, third_requests, third_seen = wire.view(THIRD)
    assert third_requests == [THIRD], third_requests
    assert "/api/me" not in {urlsplit(url).path for url in third_seen}


def test_search_fetches_its_index_when_first_used_and_finds(new_page, logged_portal) -> None:
    page = new_page(logged_portal.base)
    wire = Wire(page, logged_portal)
    _, requests, _ = wire.view(FIRST)
    assert not any("search_index" in r for r in requests)
    with page.expect_response(re.compile(r"/search/search_index\.json$")) as index:
        results = search(page, "legitimation")
    assert index.value.status == 200
    assert index.value.headers.get("content-encoding") in ("br", "gzip")
    expect(results.first).to_contain_text("SITHS")


def test_the_portal_log_reads_requests() -> None:
    """How the budget counts requests, on the portal's own access-log lines."""
    log = ('INFO:     Uvicorn running on http://127.0.0.1:8000\n'
           '{"time": "2026-11-29T15:25:48.861+00:00", "method": "GET", "path": '
           '"/assets/x.1a2b3c4d.min.js", "status": 200, "duration_ms": 1.2, "person_id": null}\n'
           '{"time": "2026-11-29T15:25:48.873+00:00", "method": "POST", "path": "/login", '
           '"status": 303, "duration_ms": 11.4, "person_id": "david.berg"}\n')
    assert reached(log) == ["/assets/x.1a2b3c4d.min.js"]
