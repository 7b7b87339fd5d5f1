"""Quiz attempts through the API on SQLite and PostgreSQL: handed out by the server (a drawn
question bank, shuffled choices), graded only against the attempt handed out and only once,
feedback without the key, and a pause after three failed attempts in a row."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from rutinportal.cli import main
from rutinportal.portal.storage.models import IssuedAttempt, QuizAttempt
from rutinportal.site.build import build_site

from ..support import answers, import_demo_roster, make_client, post, sign_in, start_quiz, \
    take_quiz

pytestmark = pytest.mark.build

QUIZ = "siths-kort"
PAUSE = ("Du har gjort {n} försök i rad utan att bli godkänd. Läs igenom materialet igen; du "
         "kan göra ett nytt försök om {minutes}.")


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture
def client(example, database_url):
    root, site = example
    import_demo_roster(root, database_url)
    with make_client(root, site, database_url) as test_client:
        sign_in(test_client, "david.berg")
        yield test_client
        test_client.app.state.engine.dispose()


def graded(client) -> int:
    with client.app.state.portal.session() as session:
        return session.scalar(select(func.count()).select_from(QuizAttempt))


def grade(client, started: dict, chosen: dict, quiz_id: str = QUIZ):
    return post(client, f"/api/quizzes/{quiz_id}/attempts",
                {"attempt_id": started["attempt_id"], "answers": chosen})


def test_an_attempt_has_every_question_and_shuffled_choices(client) -> None:
    quiz = client.app.state.portal.published.quizzes[QUIZ]
    started = start_quiz(client, QUIZ)
    assert set(started) == {"attempt_id", "quiz_id", "version", "pass_mark", "questions"}
    assert started["version"] == quiz.version and started["pass_mark"] == quiz.pass_mark
    assert [q["id"] for q in started["questions"]] == [q.id for q in quiz.questions]
    orders = set()
    for _ in range(12):
        for item, question in zip(start_quiz(client, QUIZ)["questions"], quiz.questions):
            assert set(item) == {"id", "text", "multiple", "choices"}  # no key
            assert sorted(c["id"] for c in item["choices"]) == \
                sorted(c.id for c in question.choices)
            orders.add(tuple(c["id"] for c in item["choices"]))
    assert len(orders) > len(quiz.questions)  # not the file's order every time


def test_answers_are_graded_once(client) -> None:
    started = start_quiz(client, QUIZ)
    chosen = answers(client, QUIZ, started)
    assert grade(client, started, chosen).json()["passed"] is True
    again = grade(client, started, chosen)
    assert again.status_code == 409
    assert again.json() == {"detail": "Det här försöket är redan rättat; ett försök rättas "
                                      "bara en gång. Välj ”Försök igen” för ett nytt försök. "
                                      "Ingenting har registrerats."}
    assert graded(client) == 1


def test_only_the_attempt_handed_out_is_graded(client, example, database_url) -> None:
    no_attempt = post(client, f"/api/quizzes/{QUIZ}/attempts", {"answers": {}})
    assert no_attempt.status_code == 422 and "attempt_id" in no_attempt.json()["detail"]
    guessed = post(client, f"/api/quizzes/{QUIZ}/attempts",
                   {"attempt_id": "gissat", "answers": {}})
    assert guessed.status_code == 422
    assert guessed.json()["detail"].startswith("Försöket finns inte för dig")
    started = start_quiz(client, QUIZ)
    other_quiz = post(client, "/api/quizzes/journal/attempts",
                      {"attempt_id": started["attempt_id"], "answers": {}})
    assert other_quiz.status_code == 422
    # Someone else's attempt is not yours.
    root, site = example
    with make_client(root, site, database_url) as colleague:
        sign_in(colleague, "anna.lind")
        theirs = post(colleague, f"/api/quizzes/{QUIZ}/attempts",
                      {"attempt_id": started["attempt_id"], "answers": {}})
        assert theirs.status_code == 422
        colleague.app.state.engine.dispose()
    replaced = started
    start_quiz(client, QUIZ)  # starting again replaces the open attempt
    late = grade(client, replaced, answers(client, QUIZ, replaced))
    assert late.status_code == 409 and late.json()["detail"].startswith(
        "Det här försöket har ersatts av ett nyare")
    assert graded(client) == 0


def test_a_failed_attempt_never_tells_the_right_choice(client) -> None:
    quiz = client.app.state.portal.published.quizzes[QUIZ]
    started = start_quiz(client, QUIZ)
    wrong = [q["id"] for q in started["questions"][:2]]
    response = grade(client, started, answers(client, QUIZ, started, wrong=set(wrong)))
    body = response.json()
    assert response.status_code == 201 and body["passed"] is False
    assert body["correct_count"] == len(quiz.questions) - 2
    assert [r["question_id"] for r in body["results"] if not r["correct"]] == wrong
    assert all(set(r) == {"question_id", "correct", "explanation"} for r in body["results"])
    choice_ids = {c.id for q in quiz.questions for c in q.choices}
    assert not any(cid in response.text for cid in choice_ids)


def test_three_failures_in_a_row_pause_the_quiz(client) -> None:
    for _ in range(3):
        assert take_quiz(client, QUIZ, right=False).json()["passed"] is False
    paused = post(client, f"/api/quizzes/{QUIZ}/attempts/start", {})
    assert paused.status_code == 429
    assert paused.json() == {"detail": PAUSE.format(n=3, minutes="10 minuter")}
    assert 590 <= int(paused.headers["retry-after"]) <= 600
    assert start_quiz(client, "journal")  # only that quiz pauses

    def pause_over() -> None:
        with client.app.state.portal.session() as session:
            earlier = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=11)
            session.execute(update(QuizAttempt).values(attempted_at=earlier))
            session.commit()

    pause_over()
    assert take_quiz(client, QUIZ, right=False).status_code == 201  # the 4th
    assert take_quiz(client, QUIZ, right=False).status_code == 201  # the 5th
    assert take_quiz(client, QUIZ, right=False).status_code == 201  # the 6th: paused again
    again = post(client, f"/api/quizzes/{QUIZ}/attempts/start", {})
    assert again.status_code == 429 and again.json()["detail"].startswith(
        "Du har gjort 6 försök i rad")
    pause_over()
    assert take_quiz(client, QUIZ).json()["passed"] is True  # a pass starts the count anew
    assert take_quiz(client, QUIZ, right=False).status_code == 201
    assert start_quiz(client, QUIZ)


def test_the_pause_is_a_setting(example, database_url, monkeypatch) -> None:
    monkeypatch.setenv("RUTINPORTAL_QUIZ_COOLDOWN_MINUTES", "2")
    root, site = example
    import_demo_roster(root, database_url)
    with make_client(root, site, database_url) as client:
        sign_in(client, "david.berg")
        for _ in range(3):
            take_quiz(client, QUIZ, right=False)
        paused = post(client, f"/api/quizzes/{QUIZ}/attempts/start", {})
        assert paused.status_code == 429 and int(paused.headers["retry-after"]) <= 120
        assert paused.json()["detail"].endswith("om 2 minuter.")
        client.app.state.engine.dispose()


@pytest.fixture(scope="module")
def bank_site(example, tmp_path_factory):
    """The example with the SITHS quiz made a bank (each attempt draws two of its questions),
    approved as a new version of RUT-001 as a coordinator would: the quiz is frozen with it."""
    root, _ = example
    copy = tmp_path_factory.mktemp("bank") / "repo"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "var", ".rutinportal-*"))
    path = copy / "quizzes" / f"{QUIZ}.yml"
    text = path.read_text(encoding="utf-8").replace("pass_mark:", "draw: 2\npass_mark:")
    path.write_text(text, encoding="utf-8")
    env = {"RUTINPORTAL_ROOT": str(copy), "RUTINPORTAL_TODAY": "2026-11-30"}
    routine = copy / "routines" / "siths-kort.md"
    runner = CliRunner()
    assert runner.invoke(main, ["revise", "RUT-001"], env=env).exit_code == 0
    routine.write_text(routine.read_text(encoding="utf-8").replace(
        "status: draft", "status: draft\nchange_note: Kunskapstestet drar två frågor per försök."
        "\nmaterial_change: false", 1), encoding="utf-8")
    for args in (["submit", "RUT-001"],
                 ["approve", "RUT-001", "--by", "lg-us", "--decision", "LG U&S 2026-11-30 § 3"]):
        result = runner.invoke(main, args, env=env)
        assert result.exit_code == 0, result.output
    return copy, build_site(copy, copy / "site")


@pytest.fixture
def bank(bank_site, database_url):
    copy, site = bank_site
    import_demo_roster(copy, database_url)
    with make_client(copy, site, database_url) as client:
        sign_in(client, "david.berg")
        yield client
        client.app.state.engine.dispose()


def test_a_question_bank_draws_for_every_attempt(bank) -> None:
    quiz = bank.app.state.portal.published.quizzes[QUIZ]
    assert quiz.draw == 2 and len(quiz.questions) > 2
    order = [q.id for q in quiz.questions]
    drawn = set()
    for _ in range(20):
        ids = [q["id"] for q in start_quiz(bank, QUIZ)["questions"]]
        assert len(ids) == 2 and ids == sorted(ids, key=order.index)  # the file's order
        drawn.add(tuple(ids))
    assert len(drawn) > 1
    started = start_quiz(bank, QUIZ)
    asked = {q["id"] for q in started["questions"]}
    not_asked = next(q for q in quiz.questions if q.id not in asked)
    extra = answers(bank, QUIZ, started)
    extra[not_asked.id] = [c.id for c in not_asked.choices if c.correct]
    refused = grade(bank, started, extra)
    assert refused.status_code == 422 and f"okänd fråga '{not_asked.id}'" in \
        refused.json()["detail"]
    result = grade(bank, started, answers(bank, QUIZ, started)).json()
    assert result["passed"] is True and result["total"] == 2
    with bank.app.state.portal.session() as session:
        issued = session.scalars(select(IssuedAttempt)
                                 .where(IssuedAttempt.token == started["attempt_id"])).one()
    assert issued.outcome == "graded" and [q["id"] for q in issued.questions] == \
        [q["id"] for q in started["questions"]]


def test_the_multi_answer_hint_is_not_part_of_a_question(bank) -> None:
    """The widget adds the hint to a question with several right answers; a question that
    writes it itself must not get it twice."""
    quiz = bank.app.state.portal.published.quizzes[QUIZ]
    multiple = [q for q in quiz.questions if q.multiple]
    assert multiple
    base = multiple[0].text.split(" Välj alla som stämmer")[0]
    hinted = dataclasses.replace(multiple[0], text=base + " Välj alla som stämmer.")
    bank.app.state.portal.published.quizzes[QUIZ] = dataclasses.replace(
        quiz, draw=None, questions=tuple(hinted if q.id == hinted.id else q
                                         for q in quiz.questions))
    shown = {q["id"]: q for q in start_quiz(bank, QUIZ)["questions"]}
    assert shown[hinted.id]["multiple"] is True
    assert shown[hinted.id]["text"] == base
    assert not any("Välj alla som stämmer" in q["text"] for q in shown.values())
