"""Item 5: a script that tries its way through a quiz, as the outside test did (it passed three
quizzes in 11–13 attempts), gets nowhere: no grading without an attempt the server handed
out, each attempt graded once, no right choice in any answer, and a pause after three
failures in a row."""

from __future__ import annotations

import pytest

from ..portal.support import answers, post, sign_in, start_quiz

pytestmark = pytest.mark.build

QUIZ = "siths-kort"


def test_a_script_cannot_try_its_way_through_a_quiz(portal) -> None:
    client = portal()
    sign_in(client, "david.berg")
    quiz = client.app.state.portal.published.quizzes[QUIZ]
    # The old way: answers without an attempt handed out.
    blind = post(client, f"/api/quizzes/{QUIZ}/attempts",
                 {"answers": {q.id: [q.choices[0].id] for q in quiz.questions}})
    assert blind.status_code == 422
    # Attempt after attempt (answers the key says are wrong: an unlucky script).
    statuses = []
    for _ in range(4):
        started = post(client, f"/api/quizzes/{QUIZ}/attempts/start", {})
        statuses.append(started.status_code)
        if started.status_code != 201:
            break
        attempt = started.json()
        guess = answers(client, QUIZ, attempt, right=False)
        graded = post(client, f"/api/quizzes/{QUIZ}/attempts",
                      {"attempt_id": attempt["attempt_id"], "answers": guess})
        assert graded.status_code == 201 and graded.json()["passed"] is False
        for result in graded.json()["results"]:  # never which choice is right
            assert set(result) == {"question_id", "correct", "explanation"}
        replay = post(client, f"/api/quizzes/{QUIZ}/attempts",
                      {"attempt_id": attempt["attempt_id"], "answers": guess})
        assert replay.status_code == 409  # graded once
    assert statuses == [201, 201, 201, 429]
    paused = post(client, f"/api/quizzes/{QUIZ}/attempts/start", {})
    assert paused.status_code == 429 and int(paused.headers["retry-after"]) > 500
    assert paused.json()["detail"].startswith("Du har gjort 3 försök i rad utan att bli "
                                              "godkänd.")


def test_started_attempts_cannot_be_hoarded(portal) -> None:
    """Starting many attempts before answering gives one open attempt, not many tries."""
    client = portal()
    sign_in(client, "david.berg")
    hoard = [start_quiz(client, QUIZ) for _ in range(5)]
    open_ones = 0
    for attempt in hoard:
        answer = post(client, f"/api/quizzes/{QUIZ}/attempts",
                      {"attempt_id": attempt["attempt_id"], "answers": {}})
        open_ones += answer.status_code == 201
    assert open_ones == 1
