"""WCAG 2.2 beyond what axe sees, on every page type as its own person: reflow at 320 px and at
200 % zoom (1.4.10), our own controls at least 24 x 24 px (2.5.8), and Tab through each page,
forwards and back, with focus always visible and never hidden under the sticky header
(2.4.7, 2.4.11).

One browser context per size, the page types visited in sequence, every problem reported at
once. The focus walk runs at phone and desktop size (200 % zoom lays a page out as the phone
does: the navigation in the drawer, the same sticky header), with reduced motion (the site
then switches its transitions off): the drawer and the search otherwise slide and fade for a
quarter of a second, and a check in the middle of that would measure the animation, not where
focus ends up.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from .conftest import PAGE_TYPES, TIMEOUT_MS, VIEWPORTS, WORKER_ID, answer, sign_in_quickly, \
    visit
from .wcag import REFLOW_SIZES, focus_problem, focus_state, reflow_problems, small_targets

pytestmark = pytest.mark.browser

QUIZ = "fotografering"
# Our own controls (the theme's are axe's target-size in the crawl, spacing included): the
# acknowledge button, quiz choices and buttons, sort buttons, the dashboard's links and
# buttons, the forms of APT and exceptions, the login buttons, the demo banner's link.
OWN_CONTROLS = ", ".join([
    ".rp-ack button", ".rp-quiz input", ".rp-quiz button", "button.rp-sort",
    ".rp-dash table a", ".rp-dash button", ".rp-dash .md-button",
    ".rp-form input:not([type=hidden])", ".rp-form select", ".rp-form button",
    ".rp-people button", ".rp-demo-banner a"])
MAX_TABS = 400  # a page with more stops than this is a finding of its own


def pages_in_turn(page) -> Iterator:
    """Each page type as its own person (signing in again only when the person changes)."""
    person = None
    for kind in PAGE_TYPES:
        if kind.person != person:
            page.context.clear_cookies()
            if kind.person:
                sign_in_quickly(page, kind.person)
            person = kind.person
        visit(page, kind)
        yield kind


def quiz_answered(page, example) -> None:
    quiz = example.quizzes[QUIZ]
    page.context.clear_cookies()
    sign_in_quickly(page, WORKER_ID)
    page.goto(f"/quiz/{quiz.id}/")
    answer(page, quiz, wrong=[0])
    page.get_by_role("button", name="Rätta svaren").click()
    expect(page.locator(".rp-quiz").get_by_role("status")).to_contain_text("Du fick")


@pytest.fixture
def sized_page(browser, portal) -> Iterator:
    """`sized_page(options)`: a page in a new context with these context options."""
    contexts = []

    def make(options: dict):
        context = browser.new_context(base_url=portal.base, locale="sv-SE",
                                      timezone_id="Europe/Stockholm", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("size", list(REFLOW_SIZES))
def test_no_page_scrolls_sideways_at_320_px_or_200_percent_zoom(sized_page, size, example
                                                                ) -> None:
    page = sized_page(REFLOW_SIZES[size])
    problems = [f"{kind.name}: {problem}" for kind in pages_in_turn(page)
                for problem in reflow_problems(page)]
    quiz_answered(page, example)
    problems += [f"quiz after answering: {p}" for p in reflow_problems(page)]
    assert not problems, f"{size}: content must reflow (WCAG 1.4.10):\n" + "\n".join(problems)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_our_controls_are_at_least_24_px(sized_page, size, example) -> None:
    page = sized_page(VIEWPORTS[size])
    problems, seen = [], 0
    for kind in pages_in_turn(page):
        count, small = small_targets(page, OWN_CONTROLS)
        seen += count
        problems += [f"{kind.name}: {s}" for s in small]
    quiz_answered(page, example)  # the retry button
    count, small = small_targets(page, OWN_CONTROLS)
    seen, problems = seen + count, problems + [f"quiz after answering: {s}" for s in small]
    assert seen > 200, seen  # the selectors still find the controls
    assert not problems, f"{size}: targets under 24 x 24 CSS px (WCAG 2.5.8):\n" + \
        "\n".join(problems)


def walk(page, key: str) -> Iterator[dict]:
    """Focus states pressing `key` from where focus is, until it leaves the page or comes
    round to where it started."""
    first = None
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        state = focus_state(page)
        if state is None:
            return
        where = (state["what"], round(state["top"] + page.evaluate("scrollY")))
        if where == first:
            return
        first = first or where
        yield state
    raise AssertionError(f"{page.url}: more than {MAX_TABS} stops for {key}")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_focus_is_always_visible_and_never_under_the_header(sized_page, size) -> None:
    page = sized_page({**VIEWPORTS[size], "reduced_motion": "reduce"})
    problems, stops = [], 0
    for kind in pages_in_turn(page):
        for key in ("Tab", "Shift+Tab"):
            for state in walk(page, key):
                stops += 1
                problem = focus_problem(state)
                if problem:
                    problems.append(f"{kind.name} ({key}): {problem}")
    assert stops > 500, stops
    assert not problems, f"{size}: focus hidden or not visible (WCAG 2.4.7, 2.4.11):\n" + \
        "\n".join(problems)
