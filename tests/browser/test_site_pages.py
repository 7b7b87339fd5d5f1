"""The site as a person meets it on a phone (390 px): a routine's first screen, the start
page's "Min läslista", the footer, search hits, and what changed in a new version."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import WORKER_ID, search, sign_in_quickly
from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

ROUTINE = "/rutiner/siths-kort/"  # RUT-001: several approved versions, mandatory


@pytest.fixture(params=["phone"])
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


def test_a_routine_starts_on_the_first_screen_of_a_phone(page, screenshot, example) -> None:
    siths = example.catalog["RUT-001"]  # the version in force
    sign_in_quickly(page, WORKER_ID)
    page.goto(ROUTINE)
    height = page.viewport_size["height"]
    summary = page.locator(".rp-meta__summary")
    for essential in (f"Version {siths['version']}", f"Godkänd {siths['approved_on']}",
                      "Obligatorisk"):
        expect(summary).to_contain_text(essential)
    box = page.locator(".rp-meta").bounding_box()
    assert box is not None and box["height"] < height * 0.2, box
    # The rest is behind a disclosure, closed: the instructions start on the first screen.
    more = page.locator(".rp-meta__more")
    expect(more).not_to_have_attribute("open", re.compile(".*"))
    expect(page.locator(".rp-meta__list")).to_be_hidden()
    first = page.locator(".md-content h2").first
    expect(first).to_have_text(re.compile("Syfte"))
    assert first.bounding_box()["y"] + first.bounding_box()["height"] < height
    screenshot(page, "routine-first-screen")
    more.locator("summary").click()
    expect(page.locator(".rp-meta__list")).to_contain_text("Informationsägare")
    # The acknowledge action is one tap away.
    page.get_by_role("link", name="Till kvitteringen").click()
    button = page.get_by_role("button", name="Jag har läst och förstått rutinen")
    expect(button).to_be_in_viewport()


def test_min_laslista_on_the_start_page_leads_to_the_persons_own_list(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Min läslista", exact=True).click()
    page.wait_for_url(re.compile(r"/login\?next=/min-laslista/$"))  # signed out: sign in first
    sign_in_quickly(page, WORKER_ID)
    page.goto("/")
    page.get_by_role("link", name="Min läslista", exact=True).click()
    page.wait_for_url(re.compile(r"/laslistor/hemtjanst/$"))  # Anna Lind works in Hemtjänst
    expect(page.get_by_role("heading", level=1)).to_have_text("Läslista: Hemtjänst")


def test_the_footer_speaks_swedish(page) -> None:
    page.goto("/")
    footer = page.locator("footer")
    expect(footer).to_contain_text("Sektor Välfärd – informationssäkerhet")
    expect(footer).not_to_contain_text("Made with")


def test_search_hits_show_the_routines_text_not_its_metadata(page) -> None:
    page.goto("/")
    results = search(page, "legitimation")  # RUT-001's purpose: "din personliga legitimation"
    hit = results.filter(has_text="Låna aldrig ut ditt SITHS-kort").first
    expect(hit).to_contain_text("personliga legitimation")
    for metadata in ("Informationsägare", "Nästa översyn", "Gäller för Alla"):
        expect(results.first).not_to_contain_text(metadata)


def test_what_changed_is_reachable_and_readable(page, screenshot) -> None:
    sign_in_quickly(page, WORKER_ID)
    page.goto(ROUTINE)
    history = page.locator("ul.rp-history")
    expect(history).to_contain_text("Ersatt 2026-03-02")
    history.get_by_role("link", name="Vad har ändrats i version 2?").click()
    page.wait_for_url(re.compile(r"/rutiner/siths-kort\.andringar-2/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad har ändrats i version 2?")
    expect(page.locator(".rp-changes__note")).to_have_text("Ingen ändringsnotering.")
    # Said in words, not by colour alone.
    inserted = page.locator(".rp-redline__block--inserted").first
    expect(inserted).to_contain_text(re.compile(r"^Nytt: Har du glömt ditt kort hemma\?"))
    expect(inserted.locator("ins")).to_have_count(1)
    deleted = page.locator(".rp-redline__block--deleted").first
    expect(deleted).to_have_text("Borttaget: Tänk på")
    expect(deleted.locator("del")).to_have_text("Tänk på")
    screenshot(page, "changes", full_page=True)
    assert_accessible(page, "what changed")
    page.get_by_role("link", name="Läs version 1 som den var").click()
    page.wait_for_url(re.compile(r"/rutiner/siths-kort\.version-1/$"))
    expect(page.locator(".rp-superseded")).to_contain_text("Ersatt 2026-03-02.")
    expect(page.locator(".md-content")).not_to_contain_text("Har du glömt ditt kort hemma?")
    assert_accessible(page, "an earlier version")
