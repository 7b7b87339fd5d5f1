"""Whole flows with the keyboard alone, at phone and desktop size, on a portal of their own:
a home-care worker signs in with the demo login form, opens a routine from Att göra, reads it
and acknowledges it; a manager signs in, records a workplace meeting (APT) and an exception
on a person's page. Only key presses, no clicks; after every press, focus shows (an outline of
2 px or more) and is not hidden under the sticky header. (The quiz by keyboard:
test_accessibility.test_quiz_with_the_keyboard_only.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from .conftest import TIMEOUT_MS, VIEWPORTS
from .wcag import focus_problem, focus_state

pytestmark = pytest.mark.browser

ROUTINE = "Fotografera aldrig kunder med privat mobil"  # RUT-002, owed by Hemtjänst
MANAGER = "Lena Nyberg"  # chef för Hemtjänst


@pytest.fixture
def keyboard_page(browser, fresh_portal, viewport) -> Iterator:
    # Reduced motion: the drawer and the search appear at once (see test_wcag22).
    context = browser.new_context(base_url=fresh_portal.base, locale="sv-SE",
                                  timezone_id="Europe/Stockholm", reduced_motion="reduce",
                                  **VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def press(page, key: str) -> dict | None:
    """Press a key; where focus lands must show and be in sight."""
    page.keyboard.press(key)
    state = focus_state(page)
    if state is not None:
        problem = focus_problem(state)
        assert problem is None, f"{page.url}, after {key}: {problem}"
    return state


def follow(page, key: str = "Enter") -> None:
    """Press a key that leads to another page (a link, a form's button) and wait for it."""
    with page.expect_navigation():
        page.keyboard.press(key)


def tab_to(page, wanted: Callable[[dict], bool], what: str, key: str = "Tab") -> dict:
    """Tab (or `key`) until focus is on what `wanted` accepts."""
    for _ in range(200):
        state = press(page, key)
        if state is not None and wanted(state):
            return state
    raise AssertionError(f"{page.url}: {key} never reached {what}")


def text_is(text: str) -> Callable[[dict], bool]:
    return lambda state: state["text"] == text


def sign_in_by_keyboard(page, name: str, next_path: str) -> None:
    page.goto(f"/login?next={next_path}")
    tab_to(page, lambda s: s["tag"] == "button" and s["text"] == name, f"the button {name}")
    follow(page)
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))
    expect(page.locator(".rp-demo-banner")).to_contain_text(f"Inloggad som {name}")


def test_a_worker_signs_in_reads_and_acknowledges_by_keyboard(keyboard_page) -> None:
    page = keyboard_page
    sign_in_by_keyboard(page, "Anna Lind", "/min-sida/")
    expect(page.locator("ul.rp-todo")).to_contain_text(ROUTINE)

    # From Att göra to the routine.
    tab_to(page, lambda s: s["tag"] == "a" and s["text"] == ROUTINE, "the routine in Att göra")
    follow(page)
    page.wait_for_url("**/rutiner/fotografering-av-kunder/")

    # The skip link first, then the way to the acknowledgement the page offers.
    state = press(page, "Tab")
    assert state is not None and state["text"] == "Gå till innehållet", state
    press(page, "Enter")
    tab_to(page, text_is("Till kvitteringen"), "Till kvitteringen")
    press(page, "Enter")
    state = press(page, "Tab")
    assert state is not None and state["text"] == "Jag har läst och förstått rutinen", state
    press(page, "Enter")

    # The receipt takes the focus the button had (the button goes away).
    status = page.locator(".rp-ack").get_by_role("status")
    expect(status).to_have_text(re.compile(r"^✓ Kvitterad \d{4}-\d{2}-\d{2} \(version \d+\)$"))
    expect(status).to_be_focused()
    state = focus_state(page)
    assert state is not None and focus_problem(state) is None, state


def test_a_manager_records_a_meeting_and_an_exception_by_keyboard(keyboard_page) -> None:
    page = keyboard_page
    sign_in_by_keyboard(page, MANAGER, "/uppfoljning/enheter/hemtjanst/apt/")

    # Genomgång på APT: today's date as it is; one routine and two who were there.
    tab_to(page, lambda s: s["id"] == "held_on", "the meeting's date")
    for wanted in ("dokument-RUT-001", "anna.lind", "fatima.ali"):
        tab_to(page, lambda s, w=wanted: s["type"] == "checkbox" and w in (s["id"], s["value"]),
               wanted)
        press(page, "Space")
        assert focus_state(page)["checked"], wanted
    tab_to(page, text_is("Registrera genomgången"), "Registrera genomgången")
    follow(page)
    expect(page.get_by_role("status")).to_contain_text(
        "Registrerad med Lena Nyberg som vittne: 2 deltagare, 1 rutin, 2 nya kvittenser.")

    # An exception on Anna Lind's page: away until a date, with the reason.
    page.goto("/uppfoljning/personer/anna.lind/")
    state = tab_to(page, lambda s: s["id"] == "kind-away", "Frånvarande")
    assert state["checked"]  # the default choice
    tab_to(page, lambda s: s["id"] == "until", "Till och med")
    # The date field's parts (day, month, year in the order the browser's language shows
    # them), each with the arrow keys: an empty part goes up to 1, the year to this year, so
    # twice up in each part is the 2nd of February next year, in any order.
    for part in range(3):
        if part:
            press(page, "Tab")
        press(page, "ArrowUp")
        press(page, "ArrowUp")
    until = dt.date(dt.date.today().year + 1, 2, 2)
    expect(page.locator("#until")).to_have_value(until.isoformat())
    tab_to(page, lambda s: s["id"] == "reason", "Skäl")
    page.keyboard.type("Föräldraledig")
    tab_to(page, text_is("Registrera undantaget"), "Registrera undantaget")
    follow(page)
    expect(page.get_by_role("status")).to_have_text("✓ Undantaget är registrerat.")
    expect(page.locator(".rp-dash")).to_contain_text(
        f"Frånvarande till och med {until.isoformat()} (Föräldraledig)")
