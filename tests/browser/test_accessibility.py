"""WCAG 2.1 AA on every page type, by axe-core in Chromium, at phone and desktop size.

axe-core comes inside axe-playwright-python (axe.min.js in the package) and is injected into
the page: nothing is fetched at run time. Each page type is also saved as a screenshot into
var/screenshots/ (`make screenshots` picks a few for the README).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import PAGE_TYPES, WORKER_ID, answer, open_page_type, shown_questions, \
    sign_in_quickly

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
QUIZ = "fotografering"


def violations(page) -> list[dict]:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                     "resultTypes": ["violations"]})
    return results.response["violations"]


def report(found: list[dict], limit: int = 8) -> str:
    """One block per rule: what, how bad, where (selector and HTML) and axe's own reason."""
    lines = []
    for rule in found:
        lines.append(f"\n[{rule['impact']}] {rule['id']}: {rule['help']} "
                     f"({len(rule['nodes'])} element{'s' if len(rule['nodes']) != 1 else ''})"
                     f"\n  {rule['helpUrl']}")
        for node in rule["nodes"][:limit]:
            reasons = [c["message"] for key in ("any", "all", "none") for c in node.get(key, [])]
            lines.append(f"  - {' '.join(map(str, node['target']))}\n"
                         f"    {' '.join(node['html'].split())[:200]}\n"
                         f"    {'; '.join(reasons)[:300]}")
        if len(rule["nodes"]) > limit:
            lines.append(f"  … and {len(rule['nodes']) - limit} more")
    return "\n".join(lines)


def assert_accessible(page, label: str) -> None:
    found = violations(page)
    assert not found, f"{label} ({page.url}): {len(found)} axe rule(s) violated:" + report(found)


@pytest.mark.parametrize("kind", PAGE_TYPES, ids=[k.name for k in PAGE_TYPES])
def test_page_type_meets_wcag_21_aa(page, kind, screenshot) -> None:
    open_page_type(page, kind)
    screenshot(page, kind.name)
    assert_accessible(page, kind.name)


def test_quiz_after_answering_meets_wcag_21_aa(page, example, screenshot) -> None:
    quiz = example.quizzes[QUIZ]
    sign_in_quickly(page, WORKER_ID)
    page.goto(f"/quiz/{quiz.id}/")
    answer(page, quiz, wrong=[0])  # one wrong: both verdicts and their colours on the page
    page.get_by_role("button", name="Rätta svaren").click()
    status = page.locator(".rp-quiz").get_by_role("status")
    expect(status).to_contain_text("Du fick")
    expect(page.locator(".rp-quiz__question.is-wrong")).to_have_count(1)
    screenshot(page, "quiz-answered")
    assert_accessible(page, "quiz after answering")


def test_preview_draft_meets_wcag_21_aa(new_page, preview_server) -> None:
    page = new_page(preview_server)
    page.goto("/rutiner/radera-besok-planering/")
    expect(page.locator(".rp-draft-banner")).to_be_visible()
    assert_accessible(page, "preview draft")


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
