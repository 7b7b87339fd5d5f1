"""What each kind of user does, in Chromium at phone and desktop size, on a real portal.

Every flow runs on a portal of its own with a fresh database (`flow_page`), so no flow sees
what another recorded. Texts are the ones people read; ids and answers come from the example
content (catalog.json, quizzes/<id>.yml), not from guesses.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from ..conftest import REPO
from .conftest import LEADER, WORKER, all_wrong, answer, search, sign_in

pytestmark = pytest.mark.browser

MANAGER = "Lena Nyberg"          # chefer, chef_for hemtjanst
ROUTINE = "RUT-002"              # mandatory for hemtjanst, with a quiz
READING_LIST = "/laslistor/hemtjanst/"
COURSE = "/utbildning/ledning/"  # NIS2 för chefer och ledning
DRAFT = "/rutiner/radera-besok-planering/"  # RUT-011: submitted, never approved
ACK_BUTTON = "Jag har läst och förstått rutinen"


def acknowledged_text(version: int) -> re.Pattern[str]:
    return re.compile(rf"Kvitterad \d{{4}}-\d{{2}}-\d{{2}} \(version {version}\)")


def recorded_today(text: str) -> bool:
    """The server stamps the date; the machine's and UTC's today are both right near midnight."""
    found = re.search(r"\d{4}-\d{2}-\d{2}", text)
    today = {dt.date.today().isoformat(), dt.datetime.now(dt.timezone.utc).date().isoformat()}
    return bool(found) and found.group() in today


def test_home_care_worker_reads_acknowledges_and_passes_the_quiz(flow_page, example,
                                                                 screenshot) -> None:
    page = flow_page
    routine = example.catalog[ROUTINE]
    assert "hemtjanst" in routine["audience"] and routine["quiz"]
    quiz = example.quizzes[routine["quiz"]]
    version = routine["version"]

    sign_in(page, WORKER)
    page.goto(READING_LIST)
    mark = page.locator(f".rp-mark[data-document-id='{ROUTINE}']")
    expect(mark).to_have_text("Inte kvitterad")
    page.locator(".rp-list").get_by_role("link", name=routine["title"], exact=True).click()
    page.wait_for_url(f"**{routine['url']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(routine["title"])

    ack = page.locator(".rp-ack")
    status = ack.get_by_role("status")
    ack.get_by_role("button", name=ACK_BUTTON).click()
    expect(status).to_have_text(acknowledged_text(version))
    assert recorded_today(status.inner_text())
    expect(ack.get_by_role("button", name=ACK_BUTTON)).to_be_hidden()

    page.reload()
    expect(status).to_have_text(acknowledged_text(version))
    expect(ack.get_by_role("button", name=ACK_BUTTON)).to_be_hidden()
    screenshot(page, "routine-acknowledged")

    page.goto(READING_LIST)
    expect(mark).to_have_text(re.compile(r"^✓ "))
    expect(mark).to_contain_text(acknowledged_text(version))
    mark.scroll_into_view_if_needed()
    screenshot(page, "reading-list-acknowledged")

    # The quiz, from the routine's own link: fail, retry, pass.
    page.goto(routine["url"])
    page.get_by_role("link", name=quiz.title, exact=True).click()
    page.wait_for_url("**/quiz/" + quiz.id + "/")
    form = page.locator(f"form.rp-quiz[data-quiz-id='{quiz.id}']")
    result = form.get_by_role("status")
    shown = answer(page, quiz, wrong=all_wrong(quiz))
    form.get_by_role("button", name="Rätta svaren").click()
    expect(result).to_contain_text("Inte godkänt")
    expect(form.locator(".rp-quiz__question.is-wrong")).to_have_count(len(shown))
    expect(form.get_by_text("Fel", exact=True).first).to_be_visible()
    screenshot(page, "quiz-failed")

    form.get_by_role("button", name="Försök igen").click()
    expect(result).to_be_empty()
    expect(form.locator("input:checked")).to_have_count(0)
    shown = answer(page, quiz)
    form.get_by_role("button", name="Rätta svaren").click()
    expect(result).to_contain_text("Godkänt!")
    expect(result).to_contain_text(f"Du fick {len(shown)} av {len(shown)} rätt")
    expect(form.locator(".rp-quiz__question.is-right")).to_have_count(len(shown))
    screenshot(page, "quiz-passed")

    page.goto("/min-sida/")
    acknowledged = page.locator("h2#kvitterat + ul")
    expect(acknowledged.get_by_role("link", name=routine["title"], exact=True)).to_be_visible()
    expect(acknowledged).to_contain_text(re.compile(
        rf"kvitterad \d{{4}}-\d{{2}}-\d{{2}} \(version {version}\)"))
    expect(page.locator("h2#klarade-test + ul")).to_contain_text(f"{quiz.title}: klarat")
    screenshot(page, "my-page-done")


def test_manager_completes_a_nis2_module(flow_page, example, screenshot) -> None:
    page = flow_page
    sign_in(page, MANAGER)
    page.goto(COURSE)
    rows = page.locator(".rp-course tbody tr")
    expect(rows.first).to_be_visible()
    progress = page.locator(".rp-progress")
    expect(progress.first).to_have_text("Inte klar")
    module_id = progress.first.get_attribute("data-document-id")
    module = example.catalog[module_id]
    quiz = example.quizzes[module["quiz"]]

    rows.first.get_by_role("link", name=module["title"], exact=True).click()
    page.wait_for_url(f"**{module['url']}")
    page.get_by_role("link", name=quiz.title, exact=True).click()
    page.wait_for_url("**/quiz/" + quiz.id + "/")
    answer(page, quiz)
    page.get_by_role("button", name="Rätta svaren").click()
    expect(page.locator(".rp-quiz").get_by_role("status")).to_contain_text("Godkänt!")

    page.goto(COURSE)
    done = page.locator(f".rp-progress[data-document-id='{module_id}']")
    expect(done).to_have_text("✓ Klar")
    # Only that module: the others are still to do.
    others = page.locator(f".rp-progress:not([data-document-id='{module_id}'])")
    expect(others.first).to_have_text("Inte klar")
    expect(others.filter(has_text="✓ Klar")).to_have_count(0)
    screenshot(page, "course-progress")


def test_coordinator_previews_a_draft_that_production_never_shows(
        new_page, fresh_portal, preview_server, example, screenshot) -> None:
    title = "Ändra och ta bort planerade besök i planeringssystemet"
    assert "RUT-011" not in example.catalog  # the example content's never-approved draft

    preview = new_page(preview_server)
    preview.goto(DRAFT)
    expect(preview.get_by_role("heading", level=1)).to_contain_text(title)
    expect(preview.locator(".rp-draft-banner")).to_contain_text("UTKAST – ej godkänd")
    expect(preview.locator(".rp-preview-announce")).to_contain_text("UTKAST – ej godkänd")
    screenshot(preview, "preview-draft")
    # One word of the title: the theme's search ranks a whole title poorly when it has "i".
    results = search(preview, "planeringssystemet")  # the search that production must fail
    expect(results.first).to_contain_text(title)

    page = new_page(fresh_portal.base)
    sign_in(page, "Sofia Bergström")  # the coordinator
    response = page.goto(DRAFT)
    assert response is not None and response.status == 404
    expect(page.locator(".rp-draft-banner")).to_have_count(0)
    expect(page.get_by_text(title)).to_have_count(0)

    page.goto("/")
    results = search(page, "planeringssystemet")
    expect(results.filter(has_text=title)).to_have_count(0)

    page.goto("/rutiner/")
    expect(page.locator(".rp-sortable tbody tr").first).to_be_visible()
    expect(page.get_by_text(title)).to_have_count(0)
    expect(page.get_by_text("RUT-011")).to_have_count(0)
    page.goto(READING_LIST)
    expect(page.get_by_text(title)).to_have_count(0)
    for path in ("/search/search_index.json", "/sitemap.xml", "/catalog.json", "/nytt/"):
        body = page.request.get(path)
        assert body.ok, path
        text = body.text()
        assert "radera-besok-planering" not in text and "RUT-011" not in text \
            and title not in text, f"{path} mentions the draft"


@pytest.fixture
def register_page(page):
    page.goto("/rutiner/")
    expect(page.locator(".rp-sortable th button").first).to_be_visible()
    return page


def column(page, index: int) -> list[str]:
    return [text.strip() for text in
            page.locator(f".rp-sortable tbody tr td:nth-child({index + 1})").all_inner_texts()]


def test_register_sorts_by_next_review(register_page) -> None:
    page = register_page
    heads = page.locator(".rp-sortable thead th")
    names = [h.strip() for h in heads.all_inner_texts()]
    index = names.index("Nästa översyn")
    header = heads.nth(index)
    expect(heads.first).to_have_attribute("aria-sort", "ascending")
    expect(header).not_to_have_attribute("aria-sort", re.compile("."))

    header.get_by_role("button", name="Nästa översyn").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(heads.first).not_to_have_attribute("aria-sort", re.compile("."))
    dates = column(page, index)
    assert len(dates) > 2 and len(set(dates)) > 1, dates
    assert dates == sorted(dates), dates

    header.get_by_role("button", name="Nästa översyn").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert column(page, index) == sorted(dates, reverse=True)


# -- the dashboard (/uppfoljning/) ------------------------------------------------------------

def roster_names(unit: str) -> set[str]:
    """Names of the active people in `unit`, from demo/personal.csv itself."""
    with (REPO / "demo" / "personal.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["namn"] for row in csv.DictReader(handle, delimiter=";")
                if unit in row["enheter"].split("|")}


def acknowledge(page, example, document_id: str) -> None:
    """As the signed-in person: open the routine and press the button."""
    page.goto(example.catalog[document_id]["url"])
    page.get_by_role("button", name=ACK_BUTTON).click()
    expect(page.locator(".rp-ack").get_by_role("status")).to_contain_text("Kvitterad")


def routine_count(page) -> tuple[int, int]:
    """'<done> av <total>' of the routine's row in the overview's table."""
    row = page.locator("tr").filter(
        has=page.locator(f"a[href='/uppfoljning/rutiner/{ROUTINE}/']"))
    text = row.locator("td").first.inner_text()
    done, total = re.fullmatch(r"\s*(\d+) av (\d+)\s*", text).groups()
    return int(done), int(total)


def test_leadership_sees_the_numbers_change_and_exports_xlsx(new_page, fresh_portal, example,
                                                             screenshot, tmp_path) -> None:
    leader = new_page(fresh_portal.base)
    sign_in(leader, LEADER)
    leader.goto("/uppfoljning/")
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Uppföljning")
    expect(leader.get_by_text("Du ser alla enheter.")).to_be_visible()
    done, total = routine_count(leader)
    assert done == 0 and total > 1

    worker = new_page(fresh_portal.base)
    sign_in(worker, WORKER)
    acknowledge(worker, example, ROUTINE)

    leader.reload()
    assert routine_count(leader) == (1, total)
    screenshot(leader, "dashboard-after-acknowledgement")

    with leader.expect_download() as info:
        leader.get_by_role("link", name="alla tabeller som Excel-fil").click()
    download = info.value
    assert re.fullmatch(r"uppfoljning-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    sheet = workbook["Rutiner"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[ROUTINE]["Kvitterat"] == 1
    assert rows[ROUTINE]["Antal i målgruppen"] == total
    assert rows[ROUTINE]["Saknas"] == total - 1
    units = {row[0]: row for row in workbook["Enheter"].iter_rows(min_row=2, values_only=True)}
    assert "Hemtjänst" in units
    workbook.close()


def test_manager_sees_the_missing_acknowledgements_of_their_unit(new_page, fresh_portal,
                                                                 example, screenshot) -> None:
    worker = new_page(fresh_portal.base)
    sign_in(worker, WORKER)
    acknowledge(worker, example, ROUTINE)

    manager = new_page(fresh_portal.base)
    sign_in(manager, MANAGER)
    manager.goto("/uppfoljning/")
    expect(manager.get_by_text("Du ser de enheter du är chef för: Hemtjänst.")).to_be_visible()
    manager.get_by_role("link", name="Hemtjänst", exact=True).click()
    manager.wait_for_url("**/uppfoljning/enheter/hemtjanst/")

    title = example.catalog[ROUTINE]["title"]
    expected = roster_names("hemtjanst") - {WORKER}
    heading = manager.locator(f"h3[id='{ROUTINE}']")
    expect(heading).to_contain_text(f"{title} – {len(expected)} av {len(expected) + 1} saknas")
    names = manager.locator(f"h3[id='{ROUTINE}'] + ul li")
    expect(names).to_have_count(len(expected))
    # Each name with the person's due date: "Anna Lind – senast 2026-12-29".
    assert {text.split(" – ")[0] for text in names.all_inner_texts()} == expected
    heading.scroll_into_view_if_needed()
    screenshot(manager, "dashboard-unit-missing")

    # Their own unit only: another unit's follow-up is refused.
    response = manager.goto("/uppfoljning/enheter/vard-omsorgsboende/")
    assert response is not None and response.status == 403


def test_the_next_person_in_the_tab_sees_their_own_status(flow_page, example) -> None:
    """The page keeps what /api/me said for a few minutes (one request less per page): signing
    out and in as someone else in the same tab must not show the first person's receipts."""
    page, routine = flow_page, example.catalog[ROUTINE]
    sign_in(page, WORKER)
    page.goto(routine["url"])
    ack = page.locator(".rp-ack")
    ack.get_by_role("button", name=ACK_BUTTON).click()
    expect(ack.get_by_role("status")).to_have_text(acknowledged_text(routine["version"]))
    page.goto(READING_LIST)  # kept again after the acknowledgement: now with it
    expect(page.locator(f".rp-mark[data-document-id='{ROUTINE}']")).to_have_text(
        re.compile(r"^✓ "))

    page.goto("/min-sida/")
    page.get_by_role("button", name="Logga ut").click()
    sign_in(page, "Fatima Ali")  # the same unit, has acknowledged nothing
    page.goto(READING_LIST)
    expect(page.locator(f".rp-mark[data-document-id='{ROUTINE}']")).to_have_text(
        "Inte kvitterad")
    page.goto(routine["url"])
    expect(ack.get_by_role("button", name=ACK_BUTTON)).to_be_enabled()
    expect(ack.locator(".rp-ack__status")).not_to_contain_text("Kvitterad")

