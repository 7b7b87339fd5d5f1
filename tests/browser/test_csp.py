"""The Content-Security-Policy in Chromium: every page type works under it, with no violation
in the console, and a script the build did not write does not run.

Also the quiz widget's server-issued attempts as a person meets them: the multi-answer hint
once, the pause after three failed attempts said in words, and "Min läslista".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import (LEADER_ID, PAGE_TYPES, WORKER, WORKER_ID, all_wrong, answer,
                       open_page_type, search, shown_questions, sign_in, sign_in_quickly)

pytestmark = pytest.mark.browser

CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy")


def watch_console(page) -> list[str]:
    """Console errors that report the policy refusing something, and uncaught errors."""
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"{page.url}: {message.text}")
            if any(m in message.text for m in CSP_MARKERS) else None)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def leave(page) -> None:
    page.goto("about:blank")
    page.context.clear_cookies()


def test_every_page_type_runs_under_the_policy_without_a_violation(flow_page, example) -> None:
    page = flow_page
    problems = watch_console(page)
    for kind in PAGE_TYPES:
        response = open_page_type(page, kind)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self' 'sha256-" in policy, (kind.path, policy)
        assert response.headers.get("x-content-type-options") == "nosniff"
        page.wait_for_load_state("load")
        leave(page)
    # What the pages' scripts do when used: search, acknowledge, a quiz, the export.
    sign_in_quickly(page, WORKER_ID)
    page.goto("/")
    search(page, "SITHS")
    page.goto("/rutiner/fotografering-av-kunder/")
    page.get_by_role("button", name="Jag har läst och förstått rutinen").click()
    expect(page.locator(".rp-ack").get_by_role("status")).to_contain_text("Kvitterad")
    quiz = example.quizzes["fotografering"]
    page.goto(f"/quiz/{quiz.id}/")
    answer(page, quiz, wrong=[0])
    page.get_by_role("button", name="Rätta svaren").click()
    expect(page.locator(".rp-quiz").get_by_role("status")).to_contain_text("Du fick")
    page.get_by_role("button", name="Försök igen").click()
    shown_questions(page, quiz)
    leave(page)
    sign_in_quickly(page, LEADER_ID)
    page.goto("/uppfoljning/")
    with page.expect_download():
        page.get_by_role("link", name="alla tabeller som Excel-fil").click()
    assert problems == []


def test_a_script_the_build_did_not_write_does_not_run(page) -> None:
    problems = watch_console(page)
    page.goto("/rutiner/")
    expect(page.locator(".rp-sortable th button.rp-sort").first).to_be_visible()  # ours run
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.rpInjected = true";
        document.body.appendChild(script);
    }""")
    assert page.evaluate("() => window.rpInjected === undefined")
    assert any("Content Security Policy" in p for p in problems), problems


def test_the_multi_answer_hint_shows_once(page, example) -> None:
    """Quiz files that end a question with the hint themselves (the example quizzes did) must
    not get it twice."""
    quiz = example.quizzes["fotografering"]
    sign_in_quickly(page, WORKER_ID)
    page.goto(f"/quiz/{quiz.id}/")
    shown_questions(page, quiz)
    legends = page.locator("fieldset[data-multiple='true'] legend")
    assert legends.count() == sum(q.multiple for q in quiz.questions)
    for text in legends.all_inner_texts():
        assert text.count("Välj alla som stämmer") == 1, text
    single = page.locator("fieldset[data-multiple='false'] legend").all_inner_texts()
    assert single and not any("Välj alla som stämmer" in text for text in single)


def test_three_failed_attempts_pause_the_quiz_and_say_so(flow_page, example) -> None:
    page = flow_page
    quiz = example.quizzes["fotografering"]
    sign_in(page, WORKER, next_path=f"/quiz/{quiz.id}/")
    form = page.locator(f"form.rp-quiz[data-quiz-id='{quiz.id}']")
    status = form.get_by_role("status")
    for attempt in range(3):
        if attempt:
            form.get_by_role("button", name="Försök igen").click()
        answer(page, quiz, wrong=all_wrong(quiz))
        form.get_by_role("button", name="Rätta svaren").click()
        expect(status).to_contain_text("Inte godkänt")
    form.get_by_role("button", name="Försök igen").click()
    expect(status).to_have_text(re.compile(
        r"^Du har gjort 3 försök i rad utan att bli godkänd\. Läs igenom materialet igen; du "
        r"kan göra ett nytt försök om (10|9) minuter\.$"))
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_be_focused()  # read out at once
    expect(form.get_by_role("button", name="Rätta svaren")).to_be_disabled()
    for box in form.locator("fieldset:not([hidden]) input").all():
        expect(box).to_be_disabled()
    page.reload()  # the pause holds on the server, not in the page
    expect(status).to_contain_text("Du har gjort 3 försök i rad")
    expect(form.get_by_role("button", name="Rätta svaren")).to_be_disabled()


def test_my_reading_list_is_the_persons_own(page) -> None:
    page.goto("/min-laslista/")
    page.wait_for_url(re.compile(r"/login\?next=/min-laslista/$"))
    page.get_by_role("button", name=WORKER, exact=True).click()  # signs in and comes back
    page.wait_for_url(re.compile(r"/laslistor/hemtjanst/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hemtjänst")
