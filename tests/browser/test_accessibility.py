"""WCAG 2.2 AA and axe's best practices on every page type, signed in as each role, at phone
and desktop size: the crawl. And the quiz with the keyboard alone.

One test per role and size, in one browser context: the login page signed out, then the
person signs in (the demo login form's request) and opens every page type that role may open
(the others are refused and not visited), the quiz after answering, and, for the coordinator,
a draft in the --preview build. Every axe violation of every page is reported at once.
Each page type is also saved as a screenshot into var/screenshots/ when its own person visits
it (`make screenshots` picks a few for the README).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PAGE_TYPE, PREVIEW_DRAFT, ROLES, WORKER_ID, answer, shown_questions, \
    sign_in_quickly, visit
from .wcag import report, violations

pytestmark = pytest.mark.browser

QUIZ = "fotografering"


def assert_accessible(page, label: str) -> None:
    found = violations(page)
    assert not found, f"{label} ({page.url}): {len(found)} axe rule(s) violated:" + report(found)


def answer_one_wrong(page, quiz) -> None:
    """Both verdicts and their colours on the page: one question wrong, the rest right."""
    answer(page, quiz, wrong=[0])
    page.get_by_role("button", name="Rätta svaren").click()
    expect(page.locator(".rp-quiz").get_by_role("status")).to_contain_text("Du fick")
    expect(page.locator(".rp-quiz__question.is-wrong")).to_have_count(1)


@pytest.mark.parametrize("role", ROLES, ids=[r.name for r in ROLES])
def test_every_page_type_as_each_role_meets_wcag_22_aa(page, role, example, preview_server,
                                                        screenshot) -> None:
    problems: list[str] = []

    def check(label: str) -> None:
        found = violations(page)
        if found:
            problems.append(f"{label} ({page.url}):" + report(found))

    visit(page, PAGE_TYPE["login"])  # signed out, as everyone first meets it
    check("login, signed out")
    if role.person == WORKER_ID:
        screenshot(page, "login")
    sign_in_quickly(page, role.person)
    for name in role.pages:
        kind = PAGE_TYPE[name]
        visit(page, kind)
        own = kind.person == role.person or (kind.person is None and role.person == WORKER_ID)
        if own and name != "login":  # the login page's screenshot is the signed-out one
            screenshot(page, name)
        check(name)

    quiz = example.quizzes[QUIZ]
    page.goto(f"/quiz/{quiz.id}/")
    answer_one_wrong(page, quiz)
    if role.person == WORKER_ID:
        screenshot(page, "quiz-answered")
    check("quiz after answering")

    if role.name == "coordinator":  # who previews drafts before a decision
        page.goto(preview_server + PREVIEW_DRAFT)
        expect(page.locator(".rp-draft-banner")).to_be_visible()
        check("preview draft")

    assert not problems, f"{role.name} ({role.person}): {len(problems)} page(s) with axe " \
        "violations:\n" + "\n".join(problems)


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {tag: el.tagName, type: el.type || null, id: el.id, value: el.value || null,
                inQuiz: !!el.closest("form.rp-quiz"), role: el.getAttribute("role"),
                text: (el.textContent || "").trim().slice(0, 80),
                outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
    }""")


def assert_focus_visible(state: dict) -> None:
    assert state["outline"] not in ("none", "") and state["outlineWidth"] >= 2, \
        f"no visible focus outline on {state}"


def test_quiz_with_the_keyboard_only(page, example) -> None:
    """Tab into the quiz, choose with arrows and Space, submit with Enter, read the status."""
    quiz = example.quizzes[QUIZ]
    sign_in_quickly(page, WORKER_ID)
    page.goto(f"/quiz/{quiz.id}/")
    shown = shown_questions(page, quiz)  # the attempt the portal drew, choices in its order

    for _ in range(150):  # from the top of the page, past the header and navigation
        page.keyboard.press("Tab")
        state = focused(page)
        if state["inQuiz"]:
            break
    else:
        raise AssertionError("Tab never reached the quiz")
    assert state["tag"] == "INPUT", state
    assert_focus_visible(state)

    form = page.locator("form.rp-quiz")
    for question in shown:
        # The choices in the order the page shows them (shuffled by the portal).
        values = form.locator(f"fieldset[data-question-id='{question.id}'] input").evaluate_all(
            "nodes => nodes.map(n => n.value)")
        by_id = {c.id: c for c in question.choices}
        choices = [by_id[v] for v in values]
        if question.multiple:
            # Checkboxes: Tab visits each one; Space ticks the right ones.
            for choice in choices:
                state = focused(page)
                assert state["value"] == choice.id, (question.id, state)
                if choice.correct:
                    page.keyboard.press("Space")
                page.keyboard.press("Tab")
        else:
            # Radio group: focus lands on the first choice; arrows move and choose.
            right = next(i for i, c in enumerate(choices) if c.correct)
            assert focused(page)["value"] == choices[0].id, question.id
            if right == 0:
                page.keyboard.press("Space")
            for _ in range(right):
                page.keyboard.press("ArrowDown")
            assert focused(page)["value"] == choices[right].id
            page.keyboard.press("Tab")

    state = focused(page)
    assert state["tag"] == "BUTTON" and state["text"] == "Rätta svaren", state
    assert_focus_visible(state)
    page.keyboard.press("Enter")

    status = page.locator(".rp-quiz").get_by_role("status")
    expect(status).to_contain_text("Godkänt!")
    expect(status).to_be_focused()  # the result is where focus goes, and it is read out
    assert_focus_visible(focused(page))
    assert f"Du fick {len(shown)} av {len(shown)} rätt" in status.inner_text()

    # The retry button is reachable from the result with the keyboard as well; it starts a
    # new attempt and puts focus on its first choice.
    page.keyboard.press("Shift+Tab")
    state = focused(page)
    assert state["tag"] == "BUTTON" and state["text"] == "Försök igen", state
    assert_focus_visible(state)
    page.keyboard.press("Enter")
    expect(status).to_be_empty()
    shown_questions(page, quiz)  # the new attempt has arrived
    expect(form).not_to_have_attribute("aria-busy", "true")
    assert focused(page)["inQuiz"]
