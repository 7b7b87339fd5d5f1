"""No page talks to any host but the portal's own (DESIGN §8): every request is recorded.

The walk covers every page type signed in, and what the pages' scripts do on their own:
search (the theme's worker and index), acknowledging, grading a quiz, the dashboard's
export. `data:` and `blob:` URLs stay inside the browser and are allowed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import (LEADER_ID, PAGE_TYPES, WORKER_ID, answer, open_page_type, search,
                       sign_in_quickly)

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob"}


def foreign(requests: list[str], base: str) -> list[str]:
    own = urlsplit(base).netloc
    return [url for url in requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != own]


def sign_out(page) -> None:
    # Leave the page first: its scripts must not fetch (and get cookies) while we switch.
    page.goto("about:blank")
    page.context.clear_cookies()


def test_every_page_type_talks_only_to_the_portal(flow_page, fresh_portal, example,
                                                  record_requests) -> None:
    page = flow_page  # its own database: it acknowledges and passes a quiz
    requests = record_requests(page)
    for kind in PAGE_TYPES:
        open_page_type(page, kind)
        page.wait_for_load_state("load")
        sign_out(page)  # the next page type signs in as its own person

    # What the scripts do when used: search, acknowledge, grade a quiz.
    sign_in_quickly(page, WORKER_ID)
    page.goto("/")
    search(page, "SITHS")
    page.goto("/rutiner/fotografering-av-kunder/")
    page.get_by_role("button", name="Jag har läst och förstått rutinen").click()
    expect(page.locator(".rp-ack").get_by_role("status")).to_contain_text("Kvitterad")
    quiz = example.quizzes["fotografering"]
    page.goto(f"/quiz/{quiz.id}/")
    answer(page, quiz)
    page.get_by_role("button", name="Rätta svaren").click()
    expect(page.locator(".rp-quiz").get_by_role("status")).to_contain_text("Godkänt!")

    sign_out(page)
    sign_in_quickly(page, LEADER_ID)
    page.goto("/uppfoljning/")
    with page.expect_download() as download:
        page.get_by_role("link", name="alla tabeller som Excel-fil").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    visited = {urlsplit(url).path for url in requests}
    assert {"/api/me", "/search/search_index.json", "/api/acknowledgements",
            f"/api/quizzes/{quiz.id}/attempts"} <= visited, sorted(visited)
    assert foreign(requests, fresh_portal.base) == [], "requests to other hosts"


def test_preview_build_talks_only_to_its_own_server(new_page, preview_server,
                                                    record_requests) -> None:
    page = new_page(preview_server)
    requests = record_requests(page)
    for path in ("/", "/rutiner/", "/rutiner/radera-besok-planering/", "/quiz/fotografering/",
                 "/utbildning/ledning/", "/laslistor/hemtjanst/"):
        page.goto(path)
        page.wait_for_load_state("load")
    search(page, "planeringssystemet")
    assert len(requests) > 10
    assert foreign(requests, preview_server) == [], "requests to other hosts"
